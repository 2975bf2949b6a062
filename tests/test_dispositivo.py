"""Elegir dispositivo y precisión: CUDA, luego MPS, luego CPU; bf16 solo desde Ampere."""

from __future__ import annotations

import pytest
import torch

import curso_llm
from curso_llm import dispositivo as modulo
from curso_llm.errores import ErrorCurso


def _finge(monkeypatch, cuda=False, mps=False):
    monkeypatch.setattr(modulo, "_disponibles", lambda: {"cuda": cuda, "mps": mps, "cpu": True})


@pytest.mark.parametrize("cuda,mps,esperado", [(True, True, "cuda"), (False, True, "mps"), (False, False, "cpu")])
def test_orden_cuda_mps_cpu(monkeypatch, cuda, mps, esperado):
    monkeypatch.delenv("CURSO_LLM_DISPOSITIVO", raising=False)
    _finge(monkeypatch, cuda=cuda, mps=mps)
    assert curso_llm.elegir_dispositivo(mostrar=False) == torch.device(esperado)


def test_la_variable_manda(monkeypatch):
    _finge(monkeypatch, cuda=True)
    monkeypatch.setenv("CURSO_LLM_DISPOSITIVO", "CPU")
    assert curso_llm.elegir_dispositivo(mostrar=False) == torch.device("cpu")


def test_aqui_elige_cpu_y_lo_dice(monkeypatch, capsys):
    monkeypatch.delenv("CURSO_LLM_DISPOSITIVO", raising=False)
    assert curso_llm.elegir_dispositivo() == torch.device("cpu")  # esta máquina no tiene GPU
    assert capsys.readouterr().out.startswith("Dispositivo: cpu (sin GPU)")


def test_pedir_una_gpu_que_no_hay(monkeypatch):
    _finge(monkeypatch)
    with pytest.raises(ErrorCurso, match="aquí no hay una GPU de NVIDIA.*Cambiar tipo de entorno"):
        curso_llm.elegir_dispositivo("cuda")


def test_dispositivo_desconocido(monkeypatch):
    with pytest.raises(ErrorCurso, match=r"No conozco el dispositivo 'tpu'\. Usa uno de: auto, cuda, mps, cpu"):
        curso_llm.elegir_dispositivo("tpu")
    with pytest.raises(ErrorCurso, match="debe ser un texto"):
        curso_llm.elegir_dispositivo(0)


@pytest.mark.parametrize("capacidad,esperado", [((7, 5), "fp16"), ((8, 0), "bf16"), ((8, 9), "bf16"),
                                               ((6, 0), "fp16")])
def test_precision_segun_capacidad(capacidad, esperado):
    # La T4 gratuita de Colab es 7.5: fp16, nunca bf16.
    assert curso_llm.precision_mixta("cuda", capacidad=capacidad) == esperado


@pytest.mark.parametrize("nombre", ["cpu", "mps"])
def test_sin_cuda_no_hay_precision_mixta(nombre):
    assert curso_llm.precision_mixta(nombre) == "no"


def test_mover_un_lote_del_tokenizador():
    lote = {"input_ids": torch.ones(1, 3, dtype=torch.long), "longitudes": [3]}
    movido = curso_llm.mover(lote, torch.device("cpu"))
    assert movido["input_ids"].device.type == "cpu" and movido["longitudes"] == [3]
    with pytest.raises(ErrorCurso, match="No sé mover un int"):
        curso_llm.mover(3, "cpu")
