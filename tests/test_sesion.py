"""Inicio de sesión: el token nunca aparece en la salida, los registros ni el disco."""

from __future__ import annotations

import logging
import os
import sys
import types
from pathlib import Path

import pytest

import curso_llm
from curso_llm import sesion
from curso_llm.errores import TokenInvalido

TOKEN_HF = "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123"
CLAVE_WANDB = "0123456789abcdef0123456789abcdef01234567"


def _sin_rastro(secreto: str, capsys, caplog, carpeta: Path):
    salida = capsys.readouterr()
    assert secreto not in salida.out and secreto not in salida.err
    assert secreto not in caplog.text
    for archivo in carpeta.rglob("*"):
        if archivo.is_file():
            assert secreto not in archivo.read_text(errors="ignore"), archivo
    return salida.out


def test_token_hf_desde_variable_de_entorno(entorno_limpio, monkeypatch, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("HF_TOKEN", TOKEN_HF)
    assert curso_llm.iniciar_sesion_hf() is True
    salida = _sin_rastro(TOKEN_HF, capsys, caplog, entorno_limpio)
    assert "leído de la variable de entorno HF_TOKEN" in salida
    assert os.environ["HF_TOKEN"] == TOKEN_HF


def test_token_hf_desde_secreto_de_colab(entorno_limpio, monkeypatch, capsys, caplog):
    userdata = types.SimpleNamespace(get=lambda nombre: {"HF_TOKEN": TOKEN_HF}[nombre])
    colab = types.ModuleType("google.colab")
    colab.userdata = userdata
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    assert curso_llm.iniciar_sesion_hf() is True
    assert "leído de un secreto de Colab" in _sin_rastro(TOKEN_HF, capsys, caplog, entorno_limpio)


def test_token_hf_pedido_con_getpass(entorno_limpio, monkeypatch, capsys, caplog):
    preguntas = []
    monkeypatch.setattr(sesion.getpass, "getpass", lambda texto: preguntas.append(texto) or TOKEN_HF)
    assert curso_llm.iniciar_sesion_hf() is True
    assert "no se verá" in preguntas[0]
    assert "leído de lo que escribiste" in _sin_rastro(TOKEN_HF, capsys, caplog, entorno_limpio)


def test_sin_token_ni_teclado_explica_y_sigue(entorno_limpio, monkeypatch, capsys):
    def sin_teclado(texto):
        raise EOFError

    monkeypatch.setattr(sesion.getpass, "getpass", sin_teclado)
    assert curso_llm.iniciar_sesion_hf() is False
    salida = capsys.readouterr().out
    assert "No encontré un token de Hugging Face" in salida
    assert "https://huggingface.co/settings/tokens" in salida
    assert "HF_TOKEN" not in os.environ


def test_token_mal_copiado_no_se_muestra_en_el_error(entorno_limpio, monkeypatch, capsys):
    malo = "hf_corto"
    monkeypatch.setenv("HF_TOKEN", malo)
    with pytest.raises(TokenInvalido) as error:
        curso_llm.iniciar_sesion_hf()
    assert malo not in str(error.value)
    assert "empieza por 'hf_'" in str(error.value)
    assert malo not in capsys.readouterr().out


def test_clave_wandb_pone_wandb_en_linea(entorno_limpio, monkeypatch, capsys, caplog):
    monkeypatch.setenv("WANDB_API_KEY", CLAVE_WANDB)
    assert curso_llm.iniciar_sesion_wandb() is True
    assert os.environ["WANDB_MODE"] == "online"
    _sin_rastro(CLAVE_WANDB, capsys, caplog, entorno_limpio)


def test_sin_clave_wandb_queda_sin_conexion_fuera_del_libro(entorno_limpio, monkeypatch, capsys):
    monkeypatch.setattr(sesion.getpass, "getpass", lambda texto: "")
    assert curso_llm.iniciar_sesion_wandb() is False
    assert os.environ["WANDB_MODE"] == "offline"
    carpeta = Path(os.environ["WANDB_DIR"])
    assert carpeta == entorno_limpio / "cache" / "wandb"
    assert "book" not in carpeta.parts


def test_una_ejecucion_real_de_wandb_sin_conexion(entorno_limpio, monkeypatch):
    """W&B de verdad, en modo offline: registra métricas en la caché del curso."""
    import wandb

    assert curso_llm.preparar_wandb() == "offline"
    run = wandb.init(project="llms-sin-barreras-pruebas", config={"tasa_de_aprendizaje": 1e-3})
    for paso in range(3):
        run.log({"perdida": 1.0 / (paso + 1)})
    run.finish()
    archivos = list((entorno_limpio / "cache" / "wandb").rglob("*.wandb"))
    assert archivos, "W&B no escribió su registro en la caché del curso"
    [ejecucion] = curso_llm.ejecuciones_wandb()
    metricas = curso_llm.leer_ejecucion_wandb(ejecucion)
    assert [valor for _, valor in metricas["perdida"]] == [1.0, 0.5, pytest.approx(1 / 3)]
