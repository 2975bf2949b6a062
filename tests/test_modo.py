"""Resolución del modo local/hub y garantía de que el modo local no espera a la red."""

from __future__ import annotations

import sys
import types

import pytest

from curso_llm import modo as m
from curso_llm.errores import ModoInvalido

from conftest import ejecutar_python
from servidor_mudo import SONDA_RED, ServidorMudo, variables_de_proxy


def test_sin_variable_fuera_de_colab_es_local(entorno_limpio):
    assert m.modo_actual() == "local"


def test_sin_variable_en_colab_es_hub(entorno_limpio, monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert m.en_colab()
    assert m.modo_actual() == "hub"


def test_la_variable_manda_sobre_colab(entorno_limpio, monkeypatch):
    monkeypatch.setenv("COLAB_RELEASE_TAG", "x")
    monkeypatch.setenv("CURSO_LLM_MODO", " Local ")
    assert m.modo_actual() == "local"


def test_modo_invalido_explica_que_hacer(entorno_limpio, monkeypatch):
    monkeypatch.setenv("CURSO_LLM_MODO", "nube")
    with pytest.raises(ModoInvalido) as error:
        m.modo_actual()
    assert "'nube'" in str(error.value)
    assert "CURSO_LLM_MODO=local" in str(error.value) and "CURSO_LLM_MODO=hub" in str(error.value)


def test_modo_local_apaga_la_red_de_hugging_face(entorno_limpio, monkeypatch):
    import huggingface_hub.constants as constantes

    monkeypatch.setattr(constantes, "HF_HUB_OFFLINE", False)
    assert m.aplicar_modo("local") == "local"
    for variable in m.VARIABLES_SIN_RED:
        assert __import__("os").environ[variable] == "1"
    assert constantes.HF_HUB_OFFLINE is True


def test_modo_hub_no_toca_las_variables(entorno_limpio):
    import os

    assert m.aplicar_modo("hub") == "hub"
    assert not any(v in os.environ for v in m.VARIABLES_SIN_RED)


def test_describir_modo_dice_como_cambiarlo(entorno_limpio):
    assert "Modo del curso: local" in m.describir_modo("local")
    assert "CURSO_LLM_MODO=hub" in m.describir_modo("local")
    assert "CURSO_LLM_MODO=local" in m.describir_modo("hub")


def test_carpeta_cache_configurable(entorno_limpio):
    assert m.carpeta_cache() == entorno_limpio / "cache"
    assert m.carpeta_cache().is_dir()


@pytest.fixture
def proxy_mudo():
    """La URL de un servidor que acepta conexiones y nunca responde: la red «colgada»."""
    with ServidorMudo() as mudo:
        yield mudo.url


def test_modo_local_no_espera_a_la_red(proxy_mudo, tmp_path):
    """Con toda la red desviada a un proxy que nunca responde, resolver falla sin esperar
    (el tiempo, objetivo < 1 s, se mide en bench/tiempos.py)."""
    salida = ejecutar_python(
        SONDA_RED,
        {
            "CURSO_LLM_MODO": "local",
            "CURSO_LLM_CACHE": str(tmp_path),
            "HF_HOME": str(tmp_path / "hf"),
            **variables_de_proxy(proxy_mudo),
        },
        timeout=90,
    )
    assert salida.returncode == 0, salida.stderr
