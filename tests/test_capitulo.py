"""La segunda celda de cada capítulo: curso_llm.iniciar_capitulo()."""

from __future__ import annotations

import random

import curso_llm


def test_iniciar_capitulo_dice_el_modo_y_no_promete_los_numeros_del_libro(entorno_limpio, monkeypatch, capsys):
    monkeypatch.setenv("CURSO_LLM_MODO", "local")
    curso_llm.iniciar_capitulo(semilla=7)
    salida = capsys.readouterr().out
    assert "local" in salida and "Semilla fijada en 7" in salida
    # En Colab los modelos son los del Hub: las salidas no serán las del libro, y no se promete.
    assert "libro" not in salida


def test_la_semilla_repite_el_azar(entorno_limpio, monkeypatch):
    monkeypatch.setenv("CURSO_LLM_MODO", "local")
    curso_llm.fijar_semillas(3)
    primera = [random.random() for _ in range(3)]
    curso_llm.fijar_semillas(3)
    assert [random.random() for _ in range(3)] == primera
