"""Capítulo 6: LoRA, cuantización, plantilla de chat, SFT y DPO con los modelos del curso.

Las pruebas marcadas ``lento`` entrenan de verdad (peft, TRL) sobre el mini GPT del curso.
"""

from __future__ import annotations

import copy
import math

import pytest

import curso_llm
from curso_llm import instrucciones as ins
from curso_llm.errores import ErrorCurso


@pytest.fixture(scope="module")
def gpt():
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    ruta = curso_llm.ruta_modelo("gpt2-es")
    return AutoModelForCausalLM.from_pretrained(ruta, dtype=torch.float32).eval(), AutoTokenizer.from_pretrained(ruta)


# ---------------------------------------------------------------- conjuntos y registro

def test_los_conjuntos_de_instrucciones_y_preferencias_tienen_sus_columnas_y_partes():
    instr = curso_llm.cargar_conjunto("instrucciones-es")
    pref = curso_llm.cargar_conjunto("preferencias-es")
    assert set(instr) == set(pref) == {"train", "test"}
    assert instr["train"].column_names == ["instruccion", "respuesta", "tema"]
    assert pref["train"].column_names == ["instruccion", "elegida", "rechazada", "motivo"]
    assert instr["train"].num_rows + instr["test"].num_rows >= 300
    assert pref["train"].num_rows + pref["test"].num_rows >= 200
    # ninguna instrucción de prueba está en entrenamiento (la parte depende solo del texto)
    for conjunto in (instr, pref):
        vistas = {t.lower() for t in conjunto["train"]["instruccion"]}
        assert not vistas & {t.lower() for t in conjunto["test"]["instruccion"]}
        assert 0.05 < conjunto["test"].num_rows / (conjunto["train"].num_rows + conjunto["test"].num_rows) < 0.25


def test_la_parte_de_una_instruccion_no_depende_del_orden_ni_del_proceso():
    # Fijada: sha256 de la instrucción en minúsculas (no hash(), que cambia en cada proceso).
    assert ins.parte_de_instruccion("¿Qué ciudad es la capital italiana?") == "train"
    partes = [ins.parte_de_instruccion(t) for t in curso_llm.cargar_conjunto("instrucciones-es")["test"]["instruccion"]]
    assert set(partes) == {"test"}


def test_las_preferencias_no_se_distinguen_por_la_longitud():
    pref = curso_llm.cargar_conjunto("preferencias-es")["train"]
    largas = sum(len(e.split()) > len(r.split()) for e, r in zip(pref["elegida"], pref["rechazada"]))
    assert 0.3 < largas / pref.num_rows < 0.7


def test_chat_es_en_los_dos_modos(monkeypatch):
    from curso_llm.recursos import CONJUNTOS, MODELOS

    assert MODELOS["chat-es"].hub_id == "Qwen/Qwen2.5-0.5B-Instruct"
    assert CONJUNTOS["instrucciones-es"].solo_curso and CONJUNTOS["preferencias-es"].solo_curso


def test_una_fila_mal_formada_se_explica_en_espanol(tmp_path, monkeypatch):
    (tmp_path / "instrucciones").mkdir()
    (tmp_path / "instrucciones" / "instrucciones.jsonl").write_text('{"instruccion": "hola"}\n', encoding="utf-8")
    monkeypatch.setattr("curso_llm.corpus.carpeta_datos", lambda: tmp_path)
    ins._filas.cache_clear()
    try:
        with pytest.raises(ErrorCurso, match="La línea 1 de instrucciones.jsonl no tiene la forma"):
            ins.instrucciones_local()
    finally:
        ins._filas.cache_clear()


# ---------------------------------------------------------------- plantilla de chat

def test_la_plantilla_del_curso_marca_turnos_y_respuestas(gpt):
    _, tok = gpt
    tok = copy.deepcopy(tok)
    assert ins.poner_plantilla_de_chat(tok) is True
    mensajes = [{"role": "user", "content": "Hola"}, {"role": "assistant", "content": "Qué tal"}]
    assert tok.apply_chat_template(mensajes, tokenize=False) == (
        "### Usuario:\nHola\n### Asistente:\nQué tal<|endoftext|>\n")
    assert tok.apply_chat_template(mensajes[:1], tokenize=False, add_generation_prompt=True) == (
        "### Usuario:\nHola\n### Asistente:\n")
    # {% generation %}: solo la respuesta (y su fin) cuenta como del asistente
    salida = tok.apply_chat_template(mensajes, tokenize=True, return_dict=True, return_assistant_tokens_mask=True)
    marcados = [i for i, m in zip(salida["input_ids"], salida["assistant_masks"]) if m]
    assert tok.decode(marcados) == "Qué tal<|endoftext|>"


def test_una_plantilla_propia_no_se_pisa(gpt):
    _, tok = gpt
    tok = copy.deepcopy(tok)
    tok.chat_template = "{{ 'mía' }}"
    assert ins.poner_plantilla_de_chat(tok) is False and tok.chat_template == "{{ 'mía' }}"


def test_formato_conversacional_de_trl_y_columnas_que_faltan():
    instr = curso_llm.cargar_conjunto("instrucciones-es")
    conv = curso_llm.a_conversaciones(instr)
    fila, original = conv["train"][0], instr["train"][0]
    assert fila == {"prompt": [{"role": "user", "content": original["instruccion"]}],
                    "completion": [{"role": "assistant", "content": original["respuesta"]}]}
    pares = curso_llm.a_pares_de_preferencia(curso_llm.cargar_conjunto("preferencias-es")["test"])
    assert pares.column_names == ["prompt", "chosen", "rejected"]
    with pytest.raises(ErrorCurso, match=r"le faltan las columnas \['respuesta'\]"):
        curso_llm.a_conversaciones(instr["train"].remove_columns("respuesta"))


@pytest.mark.parametrize("texto,termino,sigue", [
    ("Roma es la capital.", True, True),
    ("Roma es la capital.", False, False),   # no se detuvo
    ("Roma", True, False),                   # no dice nada
    ("Roma es.\n### Usuario:\nY", True, False),  # escribe el turno del usuario
])
def test_que_es_seguir_la_plantilla(texto, termino, sigue):
    assert ins.Respuesta(texto, termino).sigue_la_plantilla is sigue


def test_cuota_de_plantilla():
    r = [ins.Respuesta("Dice algo.", True), ins.Respuesta("No para", False)]
    assert curso_llm.cuota_de_plantilla(r) == 0.5
    with pytest.raises(ErrorCurso, match="al menos una"):
        curso_llm.cuota_de_plantilla([])


def test_responder_sin_plantilla_dice_que_hacer(gpt):
    modelo, tok = gpt
    tok = copy.deepcopy(tok)
    tok.chat_template = None
    with pytest.raises(ErrorCurso, match="poner_plantilla_de_chat"):
        curso_llm.responder(modelo, tok, "Hola")


def test_logprob_de_la_respuesta_es_la_de_sus_tokens(gpt):
    import torch

    modelo, tok = gpt
    tok = copy.deepcopy(tok)
    ins.poner_plantilla_de_chat(tok)
    prompt = tok.apply_chat_template([{"role": "user", "content": "Hola"}], tokenize=False, add_generation_prompt=True)
    ids_prompt = tok(prompt)["input_ids"]
    ids = ids_prompt + tok("Qué tal")["input_ids"] + [tok.eos_token_id]
    with torch.no_grad():
        logp = torch.log_softmax(modelo(input_ids=torch.tensor([ids])).logits[0], -1)
    esperado = sum(logp[i - 1, ids[i]].item() for i in range(len(ids_prompt), len(ids)))
    assert curso_llm.logprob_respuesta(modelo, tok, "Hola", "Qué tal") == pytest.approx(esperado, abs=1e-4)


# ---------------------------------------------------------------- eficiencia

def test_a_capas_lineales_calcula_lo_mismo(gpt):
    import torch
    from transformers.pytorch_utils import Conv1D

    modelo, tok = gpt
    copia = curso_llm.a_capas_lineales(copy.deepcopy(modelo))
    assert not any(isinstance(m, Conv1D) for m in copia.modules())
    x = tok("La receta de hoy", return_tensors="pt")
    with torch.no_grad():
        assert torch.allclose(modelo(**x).logits, copia(**x).logits, atol=1e-5)


def test_int8_ocupa_menos_en_disco_y_casi_no_cambia_la_perplejidad(gpt):
    import torch

    modelo, tok = gpt
    int8 = curso_llm.a_capas_lineales(copy.deepcopy(modelo))
    int8.transformer.h = torch.ao.quantization.quantize_dynamic(int8.transformer.h, {torch.nn.Linear},
                                                                dtype=torch.qint8)
    assert curso_llm.tamano_en_disco(int8) < 0.75 * curso_llm.tamano_en_disco(modelo)
    x = tok(" ".join(curso_llm.cargar_conjunto("web-es")["validation"][:3]["text"]), return_tensors="pt")
    x = x["input_ids"][:, :128]
    with torch.no_grad():
        f32, i8 = (math.exp(m(input_ids=x, labels=x).loss.item()) for m in (modelo, int8))
    assert abs(i8 / f32 - 1) < 0.05


def test_tamano_en_disco(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 10)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"y" * 5)
    assert curso_llm.tamano_en_disco(tmp_path) == 15 and curso_llm.tamano_en_disco(tmp_path / "a") == 10
    with pytest.raises(ErrorCurso, match="No encuentro"):
        curso_llm.tamano_en_disco(tmp_path / "no")
    with pytest.raises(ErrorCurso, match="no int"):
        curso_llm.tamano_en_disco(3)


def test_parametros_cuenta_los_que_se_entrenan():
    import torch

    capa = torch.nn.Linear(4, 3)
    capa.bias.requires_grad_(False)
    assert curso_llm.parametros(capa) == (12, 15)


@pytest.mark.lento
def test_lora_entrena_menos_del_5_por_ciento_y_cambia_la_perdida_de_estilo(tmp_path):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, Trainer, TrainingArguments, default_data_collator

    ruta = curso_llm.ruta_modelo("gpt2-es")
    tok = AutoTokenizer.from_pretrained(ruta)
    bloques = curso_llm.bloques_causales(curso_llm.cargar_conjunto("recetas"), tok, 128)
    modelo = get_peft_model(AutoModelForCausalLM.from_pretrained(ruta, dtype=torch.float32), LoraConfig(
        r=8, lora_alpha=16, target_modules=["c_attn"], lora_dropout=0.0, fan_in_fan_out=True, task_type="CAUSAL_LM"))
    entrenables, total = curso_llm.parametros(modelo)
    assert 0 < entrenables / total < 0.05
    congelados = {n: p.detach().clone() for n, p in modelo.named_parameters() if not p.requires_grad}
    trainer = Trainer(model=modelo, args=TrainingArguments(
        output_dir=str(tmp_path), learning_rate=1e-2, max_steps=30, per_device_train_batch_size=8,
        report_to="none", save_strategy="no", use_cpu=True, seed=42, disable_tqdm=True),
        train_dataset=bloques["train"], eval_dataset=bloques["validation"], data_collator=default_data_collator)
    antes = trainer.evaluate()["eval_loss"]
    trainer.train()
    despues = trainer.evaluate()["eval_loss"]
    assert despues < antes - 0.3
    # los pesos originales no se movieron
    assert all(torch.equal(p, congelados[n]) for n, p in modelo.named_parameters() if not p.requires_grad)
    modelo.save_pretrained(tmp_path / "adaptador")
    assert curso_llm.tamano_en_disco(tmp_path / "adaptador") < 0.1 * curso_llm.tamano_en_disco(
        f"{ruta}/model.safetensors")


@pytest.mark.lento
def test_el_sft_del_curso_sube_la_cuota_de_plantilla_en_instrucciones_de_prueba():
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    prueba = curso_llm.cargar_conjunto("instrucciones-es")["test"]["instruccion"]
    cuotas = {}
    for nombre in ("gpt2-es", "chat-es"):
        ruta = curso_llm.ruta_modelo(nombre)
        tok = AutoTokenizer.from_pretrained(ruta)
        curso_llm.poner_plantilla_de_chat(tok)
        modelo = AutoModelForCausalLM.from_pretrained(ruta, dtype=torch.float32)
        cuotas[nombre] = curso_llm.cuota_de_plantilla(curso_llm.responder(modelo, tok, prueba))
    assert cuotas["chat-es"] >= cuotas["gpt2-es"] + 0.5, cuotas


@pytest.mark.lento
def test_dpo_sube_el_acierto_de_preferencias_en_pares_de_prueba(tmp_path):
    import torch
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import DPOConfig, DPOTrainer

    ruta = curso_llm.ruta_modelo("chat-es")
    tok = AutoTokenizer.from_pretrained(ruta)
    modelo = AutoModelForCausalLM.from_pretrained(ruta, dtype=torch.float32)
    pref = curso_llm.cargar_conjunto("preferencias-es")
    antes, _ = curso_llm.acierto_de_preferencias(modelo, tok, pref["test"])
    pares = curso_llm.a_pares_de_preferencia(pref)
    dpo = DPOTrainer(model=modelo, args=DPOConfig(
        output_dir=str(tmp_path), beta=0.1, learning_rate=5e-3, max_steps=60, per_device_train_batch_size=8,
        max_length=128, report_to="none", save_strategy="no", use_cpu=True, bf16=False, seed=42, disable_tqdm=True),
        train_dataset=pares["train"], processing_class=tok,
        peft_config=LoraConfig(r=8, lora_alpha=16, target_modules="all-linear", task_type="CAUSAL_LM"))
    dpo.train()
    despues, _ = curso_llm.acierto_de_preferencias(dpo.model, tok, pref["test"])
    assert despues >= antes + 0.1, (antes, despues)
