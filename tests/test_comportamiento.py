"""Comportamiento, no forma: lo que el lector ve pasar, comprobado con valores que la prueba escribe.

Cada prueba falla si se planta el error que describe (comprobado a mano: ver bench/MUTANTES.md).
"""

from __future__ import annotations

import json
import os
import random
import re

import numpy
import pytest
import torch

import curso_llm
from curso_llm import modelos_locales as ml
from curso_llm import quiz

from conftest import ejecutar_python
from test_modelos_locales import BERT_DIMINUTO, corpus_chico  # noqa: F401 (fixture)


# ---------------------------------------------------------------- semillas del capítulo

def _sorteos() -> list:
    return [random.random(), random.randint(0, 10**9), numpy.random.rand(3).tolist(),
            torch.rand(3).tolist(), torch.randint(0, 1000, (4,)).tolist()]


def test_iniciar_capitulo_repite_los_sorteos(entorno_limpio, capsys):
    curso_llm.iniciar_capitulo(123)
    primeros = _sorteos()
    _sorteos()  # el estado avanza…
    curso_llm.iniciar_capitulo(123)
    assert _sorteos() == primeros  # …y la celda de inicio lo devuelve al mismo punto
    curso_llm.iniciar_capitulo(124)
    otros = _sorteos()
    for mio, otro, biblioteca in zip(primeros, otros, ["random", "random", "numpy", "torch", "torch"]):
        assert mio != otro, f"la semilla no llega a {biblioteca}"
    assert "Semilla fijada en 124" in capsys.readouterr().out


def test_la_semilla_del_libro_es_42(entorno_limpio, capsys):
    curso_llm.iniciar_capitulo()
    del_libro = _sorteos()
    assert "Semilla fijada en 42" in capsys.readouterr().out
    curso_llm.fijar_semillas(42)
    assert _sorteos() == del_libro
    assert os.environ["PYTHONHASHSEED"] == "42"  # para los procesos que lance el capítulo


def test_iniciar_capitulo_dice_el_modo_y_calla_avisos(entorno_limpio, capsys):
    curso_llm.iniciar_capitulo()
    salida = capsys.readouterr().out
    assert salida.startswith("Modo del curso: local ")
    assert os.environ["TRANSFORMERS_VERBOSITY"] == "error"
    assert os.environ["TOKENIZERS_PARALLELISM"] == "false"


@pytest.mark.parametrize("semilla", [-1, 1.5, "42", True, None])
def test_semilla_invalida_en_espanol(semilla):
    with pytest.raises(curso_llm.ErrorCurso, match="La semilla debe ser un entero no negativo"):
        curso_llm.fijar_semillas(semilla)


def test_semilla_cero_vale():
    curso_llm.fijar_semillas(0)
    assert os.environ["PYTHONHASHSEED"] == "0"


# ---------------------------------------------------------------- modo local sin red

SIN_RED = """
import json, os
import curso_llm
import datasets, transformers
import huggingface_hub.constants as c
from transformers.utils.hub import is_offline_mode
print(json.dumps({"entorno": {v: os.environ.get(v) for v in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")},
                  "huggingface_hub": c.HF_HUB_OFFLINE, "datasets": [datasets.config.HF_HUB_OFFLINE, datasets.config.HF_DATASETS_OFFLINE],
                  "transformers": is_offline_mode()}))
"""


def test_importar_curso_llm_en_modo_local_apaga_cada_variable(tmp_path):
    salida = ejecutar_python(SIN_RED, {"CURSO_LLM_MODO": "local", "CURSO_LLM_CACHE": str(tmp_path)})
    assert salida.returncode == 0, salida.stderr[-3000:]
    datos = json.loads(salida.stdout.strip().splitlines()[-1])
    assert datos["entorno"] == {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    assert datos["huggingface_hub"] is True
    assert datos["datasets"] == [True, True]
    assert datos["transformers"] is True


def test_modo_local_no_abre_ninguna_conexion(tmp_path):
    """Con la red desviada a un proxy que cuenta conexiones: en modo local, ninguna (el tiempo, en bench/)."""
    from servidor_mudo import SONDA_RED, ServidorMudo, variables_de_proxy

    with ServidorMudo() as mudo:
        salida = ejecutar_python(SONDA_RED, {"CURSO_LLM_MODO": "local", "CURSO_LLM_CACHE": str(tmp_path),
                                             "HF_HOME": str(tmp_path / "hf"), **variables_de_proxy(mudo.url)},
                                 timeout=90)
    assert salida.returncode == 0, salida.stderr[-3000:]
    assert mudo.conexiones == [], "el modo local intentó conectarse a la red"


def test_modo_local_corrige_las_bibliotecas_ya_importadas(entorno_limpio, monkeypatch):
    """Si transformers/datasets se importaron antes que curso_llm, leyeron las variables sin fijar."""
    import datasets
    import huggingface_hub.constants as c

    monkeypatch.setattr(c, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_OFFLINE", False)
    assert curso_llm.modo.aplicar_modo("local") == "local"
    for variable in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
        assert os.environ[variable] == "1", variable
    assert c.HF_HUB_OFFLINE is True
    assert datasets.config.HF_HUB_OFFLINE is True and datasets.config.HF_DATASETS_OFFLINE is True
    # Volver a hub quita justo lo que puso el modo local (y solo eso).
    assert curso_llm.modo.aplicar_modo("hub") == "hub"
    for variable in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
        assert variable not in os.environ, variable
    assert c.HF_HUB_OFFLINE is False and datasets.config.HF_DATASETS_OFFLINE is False


def test_de_hub_respeta_la_variable_que_fijaste_tu(entorno_limpio, monkeypatch):
    import huggingface_hub.constants as c

    monkeypatch.setattr(c, "HF_HUB_OFFLINE", False)
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")  # la tuya, antes de curso_llm
    curso_llm.modo.aplicar_modo("local")
    assert sorted(os.environ["CURSO_LLM_SIN_RED_PUESTO"].split(",")) == ["HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE"]
    curso_llm.modo.aplicar_modo("local")  # dos veces no cambia lo apuntado
    assert sorted(os.environ["CURSO_LLM_SIN_RED_PUESTO"].split(",")) == ["HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE"]
    curso_llm.modo.aplicar_modo("hub")
    assert os.environ.get("TRANSFORMERS_OFFLINE") == "1"
    assert "HF_HUB_OFFLINE" not in os.environ and "CURSO_LLM_SIN_RED_PUESTO" not in os.environ
    assert c.HF_HUB_OFFLINE is True  # tu TRANSFORMERS_OFFLINE=1 sigue pidiendo el modo sin red


@pytest.mark.parametrize("valor", ["true", "YES", "on"])
def test_de_hub_entiende_las_formas_de_decir_sin_red(entorno_limpio, monkeypatch, valor):
    import huggingface_hub.constants as c

    monkeypatch.setattr(c, "HF_HUB_OFFLINE", False)
    curso_llm.modo.aplicar_modo("local")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", valor)
    monkeypatch.setenv("CURSO_LLM_SIN_RED_PUESTO", "HF_HUB_OFFLINE,TRANSFORMERS_OFFLINE")
    curso_llm.modo.aplicar_modo("hub")
    assert c.HF_HUB_OFFLINE is True


def test_modo_se_lee_sin_mayusculas_ni_espacios(entorno_limpio, monkeypatch):
    monkeypatch.setenv("CURSO_LLM_MODO", "  HUB\n")
    assert curso_llm.modo_actual() == "hub"
    monkeypatch.setenv("CURSO_LLM_MODO", "")
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab_20260101")
    assert curso_llm.en_colab() and curso_llm.modo_actual() == "hub"


def test_carpeta_cache_por_defecto_y_con_tilde(entorno_limpio, monkeypatch):
    monkeypatch.delenv("CURSO_LLM_CACHE")
    assert curso_llm.carpeta_cache() == entorno_limpio / "casa" / ".cache" / "curso_llm"
    monkeypatch.setenv("CURSO_LLM_CACHE", "~/otra/cache")
    assert curso_llm.carpeta_cache() == entorno_limpio / "casa" / "otra" / "cache"
    assert (entorno_limpio / "casa" / "otra" / "cache").is_dir()


def test_describir_modo_completo():
    assert curso_llm.describir_modo("local") == (
        "Modo del curso: local (modelos y datos propios del curso, entrenados en tu CPU; sin red). "
        "Para cambiarlo, fija CURSO_LLM_MODO=hub antes de importar curso_llm.")
    assert curso_llm.describir_modo("hub").startswith(
        "Modo del curso: hub (modelos y conjuntos de datos reales del Hugging Face Hub; necesita conexión). "
        "Para cambiarlo, fija CURSO_LLM_MODO=local")


# ---------------------------------------------------------------- JavaScript del quiz

def test_el_javascript_del_quiz_lleva_los_arreglos():
    """Sin red, MathJax no llega y jupyterquiz leía ``MathJax.version[0]``: TypeError en la página."""
    from importlib import resources

    original = "".join(p.read_text(encoding="utf-8") for p in (resources.files("jupyterquiz") / "js").iterdir()
                       if p.name.endswith(".js"))
    _, script = quiz.html_quiz("capitulo-1", id_quiz="quizArreglos")
    for version in ("2", "3"):
        sin_arreglo = original.count(f'version[0] == "{version}"')
        assert sin_arreglo >= 1
        assert script.count(f'String(version)[0] == "{version}"') == sin_arreglo
    assert not re.search(r'(?<!String\()version\[0\]', script), "queda una lectura de version[0] sin comprobar"
    assert script.count("if (typeof MathJax !== 'undefined' && MathJax.version) {") == \
        original.count("if (typeof MathJax !== 'undefined') {") >= 1
    assert "if (typeof MathJax !== 'undefined') {" not in script
    # Y la interfaz traducida, con los textos escritos aquí (no tomados del módulo).
    for espanol in ('"¡Correcto!"', 'jaxify("¡Correcto!")', '"Incorrecto. Inténtalo de nuevo."',
                    '"Escribe tu respuesta numérica y pulsa Enter:"', '"Escribe tu respuesta y pulsa Enter:"'):
        assert espanol in script, espanol
    for ingles in ('"Correct!"', '"Incorrect -- try again."', '"Incorrect. Try again."',
                   '"Type numeric answer here:"', '"Type your answer here:"', 'jaxify("Correct")'):
        assert ingles not in script, ingles


def test_el_javascript_del_quiz_arranca_una_sola_vez():
    html, script = quiz.html_quiz("capitulo-1", id_quiz="quizUno")
    assert script.startswith("var questionsquizUno = [")
    assert "if (typeof Question === 'undefined') {" in script  # el código de jupyterquiz, una vez por página
    assert script.rstrip().endswith("setTimeout(mostrar, 200); } })();")
    assert '<div id="quizUno"' in html and "#quizUno" in html and "#2b4c7e" in html


def test_ids_de_quiz_distintos_en_la_misma_pagina():
    # Los ids ya no son al azar (las construcciones deben salir idénticas): nombre del quiz + contador.
    ids = [re.search(r'id="(quiz\w+)"', quiz.html_quiz("capitulo-1")[0]).group(1) for _ in range(5)]
    assert len(set(ids)) == 5 and all(i.startswith("quizcapitulo_1_") for i in ids)


# ---------------------------------------------------------------- mini BERT

def test_la_perdida_enmascarada_del_mini_bert_baja(corpus_chico):  # noqa: F811
    from curso_llm.corpus import leer_corpus

    partes = leer_corpus(carpeta=corpus_chico)
    config = BERT_DIMINUTO.__class__(**{**BERT_DIMINUTO.__dict__, "pasos": 80, "tasa": 1e-2, "calentamiento": 5})
    _, _, metricas = ml.entrenar_bert(config, partes["train"], partes["validation"], progreso=False)
    curva = metricas["curva_perdida"]
    assert len(curva) == 80
    inicio, final = sum(curva[:5]) / 5, sum(curva[-5:]) / 5
    assert final < 0.8 * inicio, f"la pérdida enmascarada no baja: {inicio:.2f} → {final:.2f}"


def test_enmascarar_como_bert(corpus_chico):  # noqa: F811
    """Del 30 % elegido: 80 % [MASK], 10 % otro token, 10 % igual; nunca [CLS]/[SEP]/[PAD]."""
    from curso_llm.corpus import leer_corpus

    tok = ml.entrenar_tokenizador_wordpiece(leer_corpus(carpeta=corpus_chico)["train"], 300)
    ventanas = ml._ventanas_bert(ml.flujo_de_ids(tok, leer_corpus(carpeta=corpus_chico)["train"] * 20), 24, tok)
    assert (ventanas[:, 0] == tok.cls_token_id).all() and (ventanas[:, -1] == tok.sep_token_id).all()
    x, etiquetas = ml._enmascarar(ventanas, tok, 0.3, torch.Generator().manual_seed(0))
    elegidos = etiquetas != -100
    assert (etiquetas[elegidos] == ventanas[elegidos]).all()  # la etiqueta es el token original
    assert not elegidos[:, 0].any() and not elegidos[:, -1].any()
    assert (x[~elegidos] == ventanas[~elegidos]).all()  # lo no elegido queda igual
    cuerpo = ventanas[:, 1:-1].numel()
    assert 0.27 < elegidos.sum().item() / cuerpo < 0.33
    n = elegidos.sum().item()
    mascaras = (x[elegidos] == tok.mask_token_id).sum().item()
    iguales = ((x == ventanas) & elegidos).sum().item()
    assert 0.77 < mascaras / n < 0.83
    assert 0.08 < iguales / n < 0.13  # el 10 % igual (más los azares que cayeron en el mismo token)
    azar = elegidos & (x != ventanas) & (x != tok.mask_token_id)
    assert 0.07 < azar.sum().item() / n < 0.12
    assert (x[azar] >= 5).all()  # al azar, nunca un especial
    assert tok.convert_ids_to_tokens(tok.mask_token_id) == "[MASK]"


def test_modo_local_otra_vez_tras_quitar_una_variable(entorno_limpio, monkeypatch):
    """Si entre dos celdas alguien quita una variable, el modo local la repone y su nota no se duplica;
    y si la quitas tú antes de volver a hub, hub no falla."""
    curso_llm.modo.aplicar_modo("local")
    monkeypatch.delenv("HF_HUB_OFFLINE")
    curso_llm.modo.aplicar_modo("local")
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["CURSO_LLM_SIN_RED_PUESTO"] == "HF_DATASETS_OFFLINE,HF_HUB_OFFLINE,TRANSFORMERS_OFFLINE"
    monkeypatch.delenv("TRANSFORMERS_OFFLINE")
    assert curso_llm.modo.aplicar_modo("hub") == "hub"
    assert not any(v in os.environ for v in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"))
