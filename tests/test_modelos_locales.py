"""Modelos locales: entrenados de verdad (en tamaño diminuto), deterministas y en caché."""

from __future__ import annotations

import json

import pytest
import torch

from curso_llm import modelos_locales as ml
from curso_llm.errores import ErrorCurso

GPT_DIMINUTO = ml.ConfigGPT(vocabulario=300, contexto=32, capas=1, dim=32, cabezas=2, lote=4, pasos=6,
                            calentamiento=2)
BERT_DIMINUTO = ml.ConfigBERT(vocabulario=300, contexto=24, capas=1, dim=32, cabezas=2, lote=4, pasos=6,
                              calentamiento=2)


@pytest.fixture
def corpus_chico(tmp_path):
    carpeta = tmp_path / "corpus"
    carpeta.mkdir()
    frases = [f"La casa número {i} tiene una puerta azul y un patio con plantas." for i in range(60)]
    frases += [f"El perro {i} corre por la calle y vuelve a casa para comer." for i in range(60)]
    (carpeta / "general.txt").write_text("\n---\n".join(frases), encoding="utf-8")
    (carpeta / "recetas.txt").write_text("Receta: sopa\nIngredientes:\n- agua", encoding="utf-8")
    return carpeta


def _textos(corpus_chico):
    from curso_llm.corpus import leer_corpus

    partes = leer_corpus(carpeta=corpus_chico)
    return partes["train"], partes["validation"]


def test_misma_semilla_mismos_pesos(corpus_chico):
    train, val = _textos(corpus_chico)
    a, _, met_a = ml.entrenar_gpt(GPT_DIMINUTO, train, val, progreso=False)
    b, _, met_b = ml.entrenar_gpt(GPT_DIMINUTO, train, val, progreso=False)
    for (n, pa), (_, pb) in zip(a.state_dict().items(), b.state_dict().items()):
        assert torch.equal(pa, pb), n
    assert met_a["curva_perdida"] == met_b["curva_perdida"]
    c, _, _ = ml.entrenar_gpt(GPT_DIMINUTO.__class__(**{**GPT_DIMINUTO.__dict__, "semilla": 7}), train, val,
                              progreso=False)
    assert not torch.equal(a.transformer.h[0].mlp.c_fc.weight, c.transformer.h[0].mlp.c_fc.weight)


def test_el_entrenamiento_aprende(corpus_chico):
    train, val = _textos(corpus_chico)
    config = GPT_DIMINUTO.__class__(**{**GPT_DIMINUTO.__dict__, "pasos": 60, "tasa": 1e-2})
    _, _, metricas = ml.entrenar_gpt(config, train, val, progreso=False)
    inicio = sum(metricas["curva_perdida"][:5]) / 5
    final = sum(metricas["curva_perdida"][-5:]) / 5
    assert final < 0.7 * inicio


def test_cache_acierta_falla_e_invalida(corpus_chico, entorno_limpio):
    llamadas = []

    def entrenar(config, train, val, progreso=True):
        llamadas.append(1)
        return ml.entrenar_gpt(config, train, val, progreso=False)

    primera = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, entrenar, progreso=False, corpus=corpus_chico)
    assert llamadas == [1]
    # Acierto: no vuelve a entrenar (su tiempo, objetivo < 1 s, se mide en bench/tiempos.py).
    segunda = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, entrenar, progreso=False, corpus=corpus_chico)
    assert segunda == primera and llamadas == [1]
    assert str(primera).startswith(str(entorno_limpio / "cache"))
    assert ml.metricas_de(primera)["parametros"] > 0

    # Cambia el corpus: otra clave, se vuelve a entrenar.
    with open(corpus_chico / "general.txt", "a", encoding="utf-8") as f:
        f.write("\n---\nUna pieza nueva sobre el mar.")
    tercera = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, entrenar, progreso=False, corpus=corpus_chico)
    assert tercera != primera and llamadas == [1, 1]

    # Otra configuración: otra clave.
    otra = GPT_DIMINUTO.__class__(**{**GPT_DIMINUTO.__dict__, "pasos": 7})
    assert ml.huella(otra, "x") != ml.huella(GPT_DIMINUTO, "x")


@pytest.mark.parametrize("dano", ["borrar_pesos", "pesos_basura", "sin_marca", "config_rota"])
def test_carpeta_danada_se_reconstruye(corpus_chico, entorno_limpio, dano):
    carpeta = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, ml.entrenar_gpt, progreso=False, corpus=corpus_chico)
    if dano == "borrar_pesos":
        (carpeta / "model.safetensors").unlink()
    elif dano == "pesos_basura":
        (carpeta / "model.safetensors").write_bytes(b"no soy un safetensors")
    elif dano == "sin_marca":
        (carpeta / ml.MARCA).unlink()
    else:
        (carpeta / "config.json").write_text("{roto")
    llamadas = []

    def entrenar(*args, **kwargs):
        llamadas.append(1)
        return ml.entrenar_gpt(*args, **kwargs)

    otra_vez = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, entrenar, progreso=False, corpus=corpus_chico)
    assert otra_vez == carpeta and llamadas == [1], "la carpeta dañada no se reconstruyó"
    from transformers import AutoModelForCausalLM

    AutoModelForCausalLM.from_pretrained(otra_vez)  # vuelve a cargar sin error


def test_gpt_local_con_pipeline_y_from_pretrained(corpus_chico, entorno_limpio):
    from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline

    carpeta = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, ml.entrenar_gpt, progreso=False, corpus=corpus_chico)
    modelo = AutoModelForCausalLM.from_pretrained(carpeta)
    tok = AutoTokenizer.from_pretrained(carpeta)
    assert type(modelo).__name__ == "GPT2LMHeadModel"
    assert tok.decode(tok("La casa")["input_ids"]) == "La casa"
    generador = pipeline("text-generation", model=str(carpeta))
    texto = generador("La casa", max_new_tokens=5, do_sample=False)[0]["generated_text"]
    assert texto.startswith("La casa") and len(texto) > len("La casa")


def test_bert_local_con_fill_mask(corpus_chico, entorno_limpio):
    from transformers import pipeline

    carpeta = ml.construir_en_cache("bert", BERT_DIMINUTO, ml.entrenar_bert, progreso=False, corpus=corpus_chico)
    rellenar = pipeline("fill-mask", model=str(carpeta))
    respuestas = rellenar("La casa tiene una [MASK] azul.", top_k=3)
    assert len(respuestas) == 3 and all("token_str" in r for r in respuestas)
    marca = json.loads((carpeta / ml.MARCA).read_text())
    assert marca["nombre"] == "bert"


def test_bert_local_sirve_de_codificador_para_clasificar(corpus_chico, entorno_limpio):
    """Los capítulos de ajuste fino le ponen una cabeza de clasificación, como a BETO."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    carpeta = ml.construir_en_cache("bert", BERT_DIMINUTO, ml.entrenar_bert, progreso=False, corpus=corpus_chico)
    tok = AutoTokenizer.from_pretrained(carpeta)
    modelo = AutoModelForSequenceClassification.from_pretrained(carpeta, num_labels=2)
    entrada = tok(["Una frase corta.", "Otra frase algo más larga que la primera."], padding=True,
                  return_tensors="pt")
    salida = modelo(**entrada, labels=torch.tensor([0, 1]))
    assert salida.logits.shape == (2, 2)
    salida.loss.backward()  # se puede ajustar: el gradiente llega al codificador preentrenado
    primera_capa = next(p for n, p in modelo.named_parameters() if n.endswith("layer.0.attention.self.query.weight"))
    assert primera_capa.grad is not None and primera_capa.grad.abs().sum() > 0


def test_wordpiece_da_los_mismos_ids_cada_vez(corpus_chico):
    """El entrenador de WordPiece ordena su alfabeto inicial al azar; sin el orden canónico,
    cada ejecución daría otros ids y otro mini BERT (pasó: una vez aprendía y otra no)."""
    from curso_llm.corpus import leer_corpus

    textos = leer_corpus(carpeta=corpus_chico)["train"]
    vocabularios = [ml.entrenar_tokenizador_wordpiece(textos, 400).get_vocab() for _ in range(4)]
    assert all(v == vocabularios[0] for v in vocabularios[1:])
    assert [t for t, _ in sorted(vocabularios[0].items(), key=lambda x: x[1])][:5] == \
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def test_tokenizador_pide_texto_y_vocabulario_valido():
    with pytest.raises(ErrorCurso, match="sin texto"):
        ml.entrenar_tokenizador_bpe(["  "], 500)
    with pytest.raises(ErrorCurso, match="al menos 300"):
        ml.entrenar_tokenizador_bpe(["hola"], 10)
