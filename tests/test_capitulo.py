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


def test_un_capitulo_sin_gradientes_puede_entrenar_un_modelo_local(tmp_path):
    """El capítulo 2 apaga los gradientes y luego pide el mini BERT: si no está en la caché,
    se entrena en ese momento, y antes fallaba («does not require grad»)."""
    import torch

    from curso_llm import modelos_locales as ml
    from curso_llm.corpus import leer_corpus

    carpeta = tmp_path / "corpus"
    carpeta.mkdir()
    frases = [f"La casa número {i} tiene una puerta azul y un patio con plantas." for i in range(60)]
    (carpeta / "general.txt").write_text("\n---\n".join(frases), encoding="utf-8")
    partes = leer_corpus(carpeta=carpeta)
    config = ml.ConfigBERT(vocabulario=300, contexto=24, capas=1, dim=32, cabezas=2, lote=4, pasos=3,
                           calentamiento=1)
    torch.set_grad_enabled(False)
    try:
        modelo, _, metricas = ml.entrenar_bert(config, partes["train"], partes["validation"], progreso=False)
        assert not torch.is_grad_enabled()  # y se devuelve como estaba
    finally:
        torch.set_grad_enabled(True)
    assert len(metricas["curva_perdida"]) == 3


def test_cifra_a_la_espanola():
    assert curso_llm.cifra(12345.6, 1) == "12 345,6"
    assert curso_llm.cifra(0.5) == "0" and curso_llm.cifra(1234567) == "1 234 567"


def test_pegar_sin_myst_nb_no_falla(monkeypatch):
    """En Colab no está myst-nb: pegar no hace nada (la cifra ya se ve en la salida de la celda)."""
    import builtins

    real = builtins.__import__

    def sin_myst_nb(nombre, *args, **kwargs):
        if nombre.startswith("myst_nb"):
            raise ImportError(nombre)
        return real(nombre, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", sin_myst_nb)
    assert curso_llm.pegar("numero", 3.5, 1) is None
