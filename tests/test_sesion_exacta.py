"""Inicio de sesión al detalle: lo que el lector lee, palabra por palabra, en cada camino.

tests/test_sesion.py mira que el token nunca aparezca; aquí, que cada mensaje sea el que es (la
prueba de mutación encontró mensajes que podían cambiar o desaparecer sin que nada fallara).
"""

from __future__ import annotations

import os
import sys
import types

import pytest

import curso_llm
from curso_llm import sesion

TOKEN_HF = "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123"
CLAVE_WANDB = "0123456789abcdef0123456789abcdef01234567"

SIN_TOKEN_HF = (
    "No encontré un token de Hugging Face. Crea uno en https://huggingface.co/settings/tokens y guárdalo "
    "como secreto de Colab (icono de la llave) con el nombre HF_TOKEN, o en la variable de entorno HF_TOKEN. "
    "Puedes seguir el curso sin él.\n"
)


class NotebookAccessError(Exception):
    pass


class SecretNotFoundError(Exception):
    pass


class TimeoutException(Exception):
    pass


def _colab(monkeypatch, obtener):
    colab = types.ModuleType("google.colab")
    colab.userdata = types.SimpleNamespace(get=obtener)
    monkeypatch.setitem(sys.modules, "google.colab", colab)


def _lanza(error):
    def obtener(nombre):
        raise error

    return obtener


@pytest.fixture
def sin_teclado(monkeypatch):
    preguntas = []

    def getpass(texto):
        preguntas.append(texto)
        raise EOFError

    monkeypatch.setattr(sesion.getpass, "getpass", getpass)
    return preguntas


def test_sin_token_mensaje_exacto_y_pregunta_exacta(entorno_limpio, sin_teclado, capsys):
    assert curso_llm.iniciar_sesion_hf() is False
    assert capsys.readouterr().out == SIN_TOKEN_HF
    assert sin_teclado == ["Pega tu token de Hugging Face (no se verá) y pulsa Enter: "]


def test_wandb_pregunta_por_defecto(entorno_limpio, sin_teclado, capsys):
    assert curso_llm.iniciar_sesion_wandb() is False
    assert sin_teclado == ["Pega tu token de Weights & Biases (no se verá) y pulsa Enter: "]
    assert capsys.readouterr().out.startswith("No encontré un token de Weights & Biases. Crea uno en "
                                              "https://wandb.ai/authorize y guárdalo")


def test_token_listo_mensaje_exacto(entorno_limpio, monkeypatch, capsys):
    monkeypatch.setenv("HF_TOKEN", TOKEN_HF)
    assert curso_llm.iniciar_sesion_hf() is True
    assert capsys.readouterr().out == (
        "Token de Hugging Face listo (leído de la variable de entorno HF_TOKEN). "
        "No se muestra ni se guarda en disco: vive solo en esta sesión.\n")


def test_token_escrito_a_mano(entorno_limpio, monkeypatch, capsys):
    monkeypatch.setattr(sesion.getpass, "getpass", lambda texto: f" {TOKEN_HF} ")
    assert curso_llm.iniciar_sesion_hf() is True
    assert os.environ["HF_TOKEN"] == TOKEN_HF
    assert "(leído de lo que escribiste)" in capsys.readouterr().out


def test_token_invalido_mensaje_exacto(entorno_limpio, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_corto")
    with pytest.raises(curso_llm.TokenInvalido) as error:
        curso_llm.iniciar_sesion_hf()
    assert str(error.value) == (
        "El token de Hugging Face leído de la variable de entorno HF_TOKEN no tiene la forma esperada "
        "(empieza por 'hf_' y sigue con letras y números). Cópialo de nuevo desde "
        "https://huggingface.co/settings/tokens.")
    assert os.environ["HF_TOKEN"] == "hf_corto"  # no se toca lo que el lector puso


def test_secreto_denegado_mensajes_exactos(entorno_limpio, monkeypatch, sin_teclado, capsys):
    _colab(monkeypatch, _lanza(NotebookAccessError("HF_TOKEN")))
    assert curso_llm.iniciar_sesion_hf() is False
    assert capsys.readouterr().out == (
        "El secreto HF_TOKEN existe en Colab, pero este cuaderno no tiene permiso para leerlo. Abre el panel de "
        "secretos (icono de la llave), activa «Acceso del cuaderno» junto a HF_TOKEN y vuelve a ejecutar esta "
        "celda (o acepta cuando Colab te pregunte).\n"
        "Sigo sin token de Hugging Face: puedes seguir el curso sin él.\n")
    assert sin_teclado, "aunque el secreto esté denegado, se puede pegar el token a mano"


def test_colab_sin_respuesta_y_error_raro_mensajes_exactos(entorno_limpio, monkeypatch, sin_teclado, capsys):
    _colab(monkeypatch, _lanza(TimeoutException("HF_TOKEN")))
    curso_llm.iniciar_sesion_hf()
    assert capsys.readouterr().out.splitlines()[0] == (
        "Colab no respondió al pedirle el secreto HF_TOKEN. Vuelve a ejecutar esta celda; si sigue igual, "
        "reinicia el entorno de ejecución.")
    _colab(monkeypatch, _lanza(ValueError("otra cosa")))
    curso_llm.iniciar_sesion_hf()
    assert capsys.readouterr().out.splitlines()[0] == (
        "No pude leer el secreto HF_TOKEN de Colab (error inesperado de google.colab). Vuelve a ejecutar esta "
        "celda o guarda el token en una variable de entorno.")


def test_secreto_ausente_es_como_no_tenerlo(entorno_limpio, monkeypatch, sin_teclado, capsys):
    _colab(monkeypatch, _lanza(SecretNotFoundError("HF_TOKEN")))
    assert curso_llm.iniciar_sesion_hf() is False
    assert capsys.readouterr().out == SIN_TOKEN_HF


def test_secreto_vacio_sigue_buscando(entorno_limpio, monkeypatch, capsys):
    _colab(monkeypatch, lambda nombre: "")
    monkeypatch.setenv("HF_TOKEN", TOKEN_HF)
    assert curso_llm.iniciar_sesion_hf(pedir=False) is True
    assert "(leído de la variable de entorno HF_TOKEN)" in capsys.readouterr().out


def test_cada_servicio_lee_su_variable(entorno_limpio, monkeypatch, capsys):
    pedidos = []
    _colab(monkeypatch, lambda nombre: pedidos.append(nombre) or {"HF_TOKEN": TOKEN_HF,
                                                                 "WANDB_API_KEY": CLAVE_WANDB}[nombre])
    assert curso_llm.iniciar_sesion_hf(pedir=False) and curso_llm.iniciar_sesion_wandb(pedir=False)
    assert pedidos == ["HF_TOKEN", "WANDB_API_KEY"]
    assert os.environ["HF_TOKEN"] == TOKEN_HF and os.environ["WANDB_API_KEY"] == CLAVE_WANDB
    assert os.environ["WANDB_MODE"] == "online"


def test_preparar_wandb_dos_veces_y_sin_pisar_lo_tuyo(entorno_limpio, monkeypatch):
    monkeypatch.setenv("WANDB_SILENT", "false")
    assert curso_llm.preparar_wandb() == "offline"
    assert os.environ["WANDB_PROJECT"] == "llms-sin-barreras"
    monkeypatch.setenv("WANDB_PROJECT", "mi-proyecto")
    assert curso_llm.preparar_wandb() == "offline"  # la carpeta ya existe: no es un error
    assert os.environ["WANDB_SILENT"] == "false"
    assert os.environ["WANDB_PROJECT"] == "mi-proyecto"
    assert os.environ["WANDB_DIR"] == str(entorno_limpio / "cache" / "wandb")


def test_netrc_con_bytes_raros(entorno_limpio):
    (entorno_limpio / "casa" / ".netrc").write_bytes(b"\xff\xfe machine api.wandb.ai login x password y\n")
    assert curso_llm.preparar_wandb() == "online"
