"""Capítulo 5: el ajuste fino con el ``Trainer``, comprobado con objetos reales.

- Ajustar el ``gpt2-es`` local con las recetas baja la perplejidad de validación de las recetas, y
  la del texto general se mide antes y después.
- El clasificador ajustado sobre ``sesgo-genero`` supera a la línea base de la clase mayoritaria
  en la parte de prueba.
- Una ejecución de W&B sin clave queda escrita en la caché del curso (fuera de ``book/``), con las
  métricas que anotó el ``Trainer``.
- En una T4 (capacidad 7.5), ``TrainingArguments`` sale con fp16 y sin bf16.
- Las piezas de ``curso_llm.ajuste`` y ``curso_llm.seguimiento``, una a una.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import datasets
import pytest
import torch
from transformers import (AutoModelForCausalLM, AutoModelForSequenceClassification, AutoTokenizer,
                          DataCollatorForLanguageModeling, DataCollatorWithPadding, GPT2Config,
                          GPT2LMHeadModel, Trainer, TrainingArguments)

import curso_llm
from conftest import RAIZ, ejecutar_python
from curso_llm.errores import ErrorCurso

# ------------------------------------------------------------------ bloques y perplejidad


@pytest.fixture(scope="module")
def tokenizador_gpt():
    return AutoTokenizer.from_pretrained(curso_llm.ruta_modelo("gpt2-es"))


def test_los_bloques_son_los_textos_seguidos_y_cortados(tokenizador_gpt):
    textos = ["Receta: sopa de ajo.", "Porciones: 4", "Tiempo: 20 minutos y un poco más de paciencia."]
    ds = datasets.Dataset.from_dict({"text": textos, "otra": [1, 2, 3]})
    bloques = curso_llm.bloques_causales(ds, tokenizador_gpt, 4)
    fin = tokenizador_gpt.eos_token_id
    seguidos = []
    for t in textos:
        seguidos += tokenizador_gpt(t, add_special_tokens=False)["input_ids"] + [fin]
    assert bloques.column_names == ["input_ids", "labels"]
    assert bloques["labels"] == bloques["input_ids"]
    assert all(len(b) == 4 for b in bloques["input_ids"])
    assert sum(bloques["input_ids"], []) == seguidos[: len(seguidos) // 4 * 4]
    assert bloques.num_rows == len(seguidos) // 4


def test_los_bloques_respetan_las_partes(tokenizador_gpt):
    partes = curso_llm.cargar_conjunto("recetas")
    bloques = curso_llm.bloques_causales(partes, tokenizador_gpt, 64)
    assert set(bloques) == {"train", "validation"}
    assert bloques["train"].num_rows > bloques["validation"].num_rows > 0


def test_el_colector_por_defecto_conserva_el_token_de_fin_en_la_perdida(tokenizador_gpt):
    """La trampa del capítulo: con el fin como relleno, DataCollatorForLanguageModeling lo quita de
    la pérdida (-100); default_data_collator, con las etiquetas de bloques_causales, no."""
    from copy import deepcopy

    from transformers import default_data_collator

    ds = datasets.Dataset.from_dict({"text": ["Receta: sopa.", "Receta: pan.", "Receta: té con limón."]})
    bloques = curso_llm.bloques_causales(ds, tokenizador_gpt, 4)
    fin = tokenizador_gpt.eos_token_id
    lote = default_data_collator([bloques[i] for i in range(bloques.num_rows)])
    assert (lote["labels"] == fin).sum() > 0
    assert torch.equal(lote["labels"], lote["input_ids"])
    con_relleno = deepcopy(tokenizador_gpt)
    con_relleno.pad_token = con_relleno.eos_token
    trampa = DataCollatorForLanguageModeling(con_relleno, mlm=False)(
        [{"input_ids": b} for b in bloques["input_ids"]])
    assert (trampa["labels"] == fin).sum() == 0 and (trampa["labels"] == -100).sum() == (lote["labels"] == fin).sum()


@pytest.mark.parametrize("contexto", [0, 1, 2.5, True, "128"])
def test_bloques_con_un_contexto_imposible(tokenizador_gpt, contexto):
    ds = datasets.Dataset.from_dict({"text": ["hola"]})
    with pytest.raises(ErrorCurso, match="contexto debe ser un número entero"):
        curso_llm.bloques_causales(ds, tokenizador_gpt, contexto)


def test_bloques_sin_la_columna_o_sin_texto_bastante(tokenizador_gpt):
    with pytest.raises(ErrorCurso, match=r"No encuentro la columna 'text'.*columna='…'"):
        curso_llm.bloques_causales(datasets.Dataset.from_dict({"texto": ["hola"]}), tokenizador_gpt, 8)
    with pytest.raises(ErrorCurso, match="no llego a un bloque de 512 tokens"):
        curso_llm.bloques_causales(datasets.Dataset.from_dict({"text": ["hola"]}), tokenizador_gpt, 512)


def test_perplejidad():
    assert curso_llm.perplejidad(0.0) == 1.0
    assert curso_llm.perplejidad(math.log(4096)) == pytest.approx(4096)
    assert curso_llm.perplejidad(1e6) == math.inf


# ------------------------------------------------------------------ dispositivo y precisión


def test_en_una_t4_los_argumentos_eligen_fp16_y_no_bf16(tmp_path):
    opciones = curso_llm.opciones_de_dispositivo(torch.device("cuda"), capacidad=(7, 5))
    argumentos = TrainingArguments(output_dir=str(tmp_path), report_to="none", **opciones)
    assert argumentos.fp16 is True and argumentos.bf16 is False and argumentos.use_cpu is False


def test_bf16_solo_desde_la_capacidad_8_y_cpu_en_float32(tmp_path):
    assert curso_llm.opciones_de_dispositivo("cuda", capacidad=(8, 0)) == {"use_cpu": False, "fp16": False, "bf16": True}
    assert curso_llm.opciones_de_dispositivo("mps") == {"use_cpu": False, "fp16": False, "bf16": False}
    opciones = curso_llm.opciones_de_dispositivo("cpu")
    assert opciones == {"use_cpu": True, "fp16": False, "bf16": False}
    argumentos = TrainingArguments(output_dir=str(tmp_path), report_to="none", **opciones)
    assert argumentos.device == torch.device("cpu")


# ------------------------------------------------------------------ barra, historial y métricas


def _gpt_diminuto(vocabulario: int):
    torch.manual_seed(0)
    modelo = GPT2LMHeadModel(GPT2Config(vocab_size=vocabulario, n_positions=16, n_embd=16, n_layer=1, n_head=2))
    modelo.loss_type = "ForCausalLM"
    return modelo


def test_la_barra_del_curso_no_imprime_tiempos(tmp_path, tokenizador_gpt, capsys):
    filas = [[i % 50 + 10] * 16 for i in range(8)]
    bloques = datasets.Dataset.from_dict({"input_ids": filas, "labels": filas})
    trainer = Trainer(model=_gpt_diminuto(len(tokenizador_gpt)), train_dataset=bloques,
                      args=TrainingArguments(output_dir=str(tmp_path), max_steps=4, logging_steps=2,
                                             per_device_train_batch_size=4, report_to="none",
                                             save_strategy="no", use_cpu=True))
    curso_llm.usar_barra_del_curso(trainer)
    nombres = [type(c).__name__ for c in trainer.callback_handler.callbacks]
    assert "BarraDelCurso" in nombres
    assert not {"NotebookProgressCallback", "ProgressCallback", "PrinterCallback"} & set(nombres)
    capsys.readouterr()
    trainer.train()
    salida = capsys.readouterr()
    assert salida.out == ""  # nada de runtime ni samples_per_second en la salida
    assert "Entrenando" in salida.err  # la barra, sí (en el libro, stderr no se muestra)
    curvas = curso_llm.historial(trainer)
    assert [paso for paso, _ in curvas["train"]] == [2, 4]


def test_historial_separa_entrenamiento_y_cada_validacion():
    trainer = SimpleNamespace(state=SimpleNamespace(log_history=[
        {"loss": 5.0, "step": 10}, {"eval_recetas_loss": 4.0, "eval_general_loss": 6.0, "step": 10},
        {"loss": 4.5, "step": 20}, {"eval_recetas_loss": 3.5, "eval_general_loss": 6.5, "step": 20},
        {"train_loss": 4.7, "train_runtime": 3.2, "step": 20}]))
    assert curso_llm.historial(trainer) == {"train": [(10, 5.0), (20, 4.5)],
                                            "eval_recetas_loss": [(10, 4.0), (20, 3.5)],
                                            "eval_general_loss": [(10, 6.0), (20, 6.5)]}


def test_metricas_de_clasificacion():
    logits = [[2.0, 0.1], [0.3, 1.0], [0.0, 3.0], [1.0, 0.0]]
    metricas = curso_llm.metricas_de_clasificacion((logits, [0, 1, 0, 0]))
    assert metricas["accuracy"] == pytest.approx(0.75)
    # Clase 0: P=1, R=2/3, F1=0,8. Clase 1: P=1/2, R=1, F1=2/3. Macro: 0,7333…
    assert metricas["f1_macro"] == pytest.approx((0.8 + 2 / 3) / 2)
    assert curso_llm.metricas_de_clasificacion(((logits, "otros"), [0, 1, 0, 0])) == metricas


def test_linea_base_mayoritaria():
    base = curso_llm.linea_base_mayoritaria([1, 1, 0], [0, 1, 1, 1])
    assert base == {"clase": 1, "accuracy": 0.75, "f1_macro": pytest.approx((0 + 2 * 0.75 / 1.75) / 2)}
    assert curso_llm.linea_base_mayoritaria([0, 1], [0, 1])["clase"] == 0  # empate: la menor
    with pytest.raises(ErrorCurso, match="alguna lista está vacía"):
        curso_llm.linea_base_mayoritaria([], [0])


# ------------------------------------------------------------------ lo que enseña el capítulo


@pytest.mark.lento
def test_ajustar_con_recetas_baja_su_perplejidad_y_mide_la_general(tmp_path, tokenizador_gpt):
    bloques = curso_llm.bloques_causales(curso_llm.cargar_conjunto("recetas"), tokenizador_gpt, 128)
    general = curso_llm.bloques_causales(curso_llm.cargar_conjunto("web-es")["validation"], tokenizador_gpt, 128)
    general = general.select(range(32))
    torch.manual_seed(42)
    modelo = AutoModelForCausalLM.from_pretrained(curso_llm.ruta_modelo("gpt2-es"), dtype=torch.float32)
    modelo.loss_type = "ForCausalLM"
    trainer = Trainer(model=modelo, train_dataset=bloques["train"],
                      eval_dataset={"recetas": bloques["validation"], "general": general},
                      args=TrainingArguments(output_dir=str(tmp_path), max_steps=40, learning_rate=3e-4,
                                             warmup_steps=4, per_device_train_batch_size=8, report_to="none",
                                             save_strategy="no", seed=42, use_cpu=True))
    curso_llm.usar_barra_del_curso(trainer)
    antes = trainer.evaluate()
    trainer.train()
    despues = trainer.evaluate()
    ppl = {(cuando, parte): curso_llm.perplejidad(m[f"eval_{parte}_loss"])
           for cuando, m in (("antes", antes), ("despues", despues)) for parte in ("recetas", "general")}
    assert ppl["despues", "recetas"] < 0.5 * ppl["antes", "recetas"]
    assert all(math.isfinite(v) and v > 1 for v in ppl.values())
    assert ppl["despues", "general"] != ppl["antes", "general"]  # medida de verdad, con otros pesos


@pytest.mark.lento
def test_el_clasificador_supera_a_la_linea_base(tmp_path):
    crudo = curso_llm.cargar_conjunto("sesgo-genero")["train"]
    limpio, _ = curso_llm.limpiar_textos(crudo, min_palabras=3)
    partes = curso_llm.dividir_conjunto(limpio, validacion=0.1, prueba=0.1, semilla=42)
    ruta = curso_llm.ruta_modelo("bert")
    tok = AutoTokenizer.from_pretrained(ruta)
    partes = partes.map(lambda lote: tok(lote["text"], truncation=True, max_length=64), batched=True)
    torch.manual_seed(42)
    modelo = AutoModelForSequenceClassification.from_pretrained(ruta, num_labels=2, dtype=torch.float32)
    trainer = Trainer(model=modelo, train_dataset=partes["train"], data_collator=DataCollatorWithPadding(tok),
                      compute_metrics=curso_llm.metricas_de_clasificacion,
                      args=TrainingArguments(output_dir=str(tmp_path), num_train_epochs=2, learning_rate=5e-4,
                                             warmup_steps=10, per_device_train_batch_size=16, report_to="none",
                                             save_strategy="no", seed=42, use_cpu=True))
    curso_llm.usar_barra_del_curso(trainer)
    trainer.train()
    prueba = trainer.predict(partes["test"]).metrics
    base = curso_llm.linea_base_mayoritaria(partes["train"]["label"], partes["test"]["label"])
    assert prueba["test_accuracy"] > base["accuracy"] + 0.1
    assert prueba["test_f1_macro"] > base["f1_macro"] + 0.1


# ------------------------------------------------------------------ Weights & Biases sin conexión

_EJECUCION_WANDB = r"""
import json, os
for variable in list(os.environ):
    if variable.startswith("WANDB_"):
        del os.environ[variable]
import curso_llm, datasets, torch, wandb
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments
modo = curso_llm.preparar_wandb()
torch.manual_seed(0)
modelo = GPT2LMHeadModel(GPT2Config(vocab_size=64, n_positions=16, n_embd=16, n_layer=1, n_head=2))
modelo.loss_type = "ForCausalLM"
bloques = datasets.Dataset.from_dict({"input_ids": [[i % 50 + 3] * 16 for i in range(16)],
                                      "labels": [[i % 50 + 3] * 16 for i in range(16)]})
trainer = Trainer(model=modelo, train_dataset=bloques, eval_dataset=bloques.select(range(4)),
                  args=TrainingArguments(output_dir=os.environ["SALIDA"], max_steps=6, logging_steps=2,
                                         eval_strategy="steps", eval_steps=3, per_device_train_batch_size=4,
                                         report_to="wandb", run_name="prueba", save_strategy="no", use_cpu=True))
curso_llm.usar_barra_del_curso(trainer)
trainer.train()
wandb.finish()
perdidas = [r["loss"] for r in trainer.state.log_history if "loss" in r]
print(json.dumps({"modo": modo, "perdidas": perdidas, "ejecuciones": [str(p) for p in curso_llm.ejecuciones_wandb()]}))
"""


@pytest.mark.lento
def test_wandb_sin_clave_escribe_la_ejecucion_en_la_cache_con_sus_metricas(tmp_path):
    cache = tmp_path / "cache"
    proceso = ejecutar_python(_EJECUCION_WANDB, {"CURSO_LLM_CACHE": str(cache), "HOME": str(tmp_path),
                                                 "SALIDA": str(tmp_path / "salida")}, timeout=300)
    assert proceso.returncode == 0, proceso.stderr[-3000:]
    resultado = json.loads(proceso.stdout.strip().splitlines()[-1])
    assert resultado["modo"] == "offline"
    [ejecucion] = resultado["ejecuciones"]
    assert ejecucion.startswith(str(cache / "wandb" / "wandb" / "offline-run-"))
    assert not (RAIZ / "book" / "wandb").exists()
    metricas = curso_llm.leer_ejecucion_wandb(ejecucion)
    assert [round(v, 6) for _, v in metricas["train/loss"]] == [round(v, 6) for v in resultado["perdidas"]]
    assert [paso for paso, _ in metricas["train/loss"]] == [2, 4, 6]
    assert [paso for paso, _ in metricas["eval/loss"]] == [3, 6]


def test_leer_ejecucion_wandb_dice_que_falta(tmp_path):
    with pytest.raises(ErrorCurso, match="No existe"):
        curso_llm.leer_ejecucion_wandb(tmp_path / "no-esta")
    with pytest.raises(ErrorCurso, match=r"no hay ningún archivo run-\*\.wandb"):
        curso_llm.leer_ejecucion_wandb(tmp_path)
    falso = tmp_path / "run-x.wandb"
    falso.write_bytes(b"esto no es de W&B")
    with pytest.raises(ErrorCurso, match="no es un registro de W&B"):
        curso_llm.leer_ejecucion_wandb(falso)


def test_sin_ejecuciones_la_lista_esta_vacia(tmp_path, monkeypatch):
    monkeypatch.setenv("WANDB_DIR", str(tmp_path))
    assert curso_llm.ejecuciones_wandb() == []
    (tmp_path / "wandb" / "offline-run-20260101_000000-abc").mkdir(parents=True)
    (tmp_path / "wandb" / "otra-cosa").mkdir()
    assert [p.name for p in curso_llm.ejecuciones_wandb()] == ["offline-run-20260101_000000-abc"]
