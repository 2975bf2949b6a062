"""Errores en español y nada tragado: línea de órdenes, secretos de Colab, permisos de la caché, diagnóstico."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import types

import pytest

import curso_llm
from curso_llm import modelos_locales as ml
from curso_llm.__main__ import main

from conftest import RAIZ
from test_modelos_locales import GPT_DIMINUTO, corpus_chico  # noqa: F401 (fixture)

INGLES = ("usage:", "error:", "invalid choice", "unrecognized arguments", "the following arguments",
          "show this help", "positional arguments", "options:", "expected one argument")


def _sin_ingles(texto: str) -> None:
    for frase in INGLES:
        assert frase not in texto, f"queda inglés de argparse: {frase!r} en\n{texto}"


# ---------------------------------------------------------------- línea de órdenes

def test_orden_desconocida_en_espanol(capsys):
    with pytest.raises(SystemExit) as salida:
        main(["nube"])
    assert salida.value.code == 2
    error = capsys.readouterr().err
    assert "no conozco la orden 'nube'" in error
    assert "diagnostico, recursos, preparar" in error and "python -m curso_llm diagnostico" in error
    _sin_ingles(error)


def test_sin_orden_lo_dice_y_muestra_la_ayuda(capsys):
    assert main([]) == 2
    error = capsys.readouterr().err
    assert error.startswith("python -m curso_llm: falta la orden. Escribe una de estas: diagnostico, recursos, preparar.")
    assert "uso: python -m curso_llm" in error and "comprueba tu entorno contra requirements.txt" in error
    _sin_ingles(error)


def test_opcion_desconocida_y_valor_que_falta(capsys):
    with pytest.raises(SystemExit) as salida:
        main(["diagnostico", "--prisa"])
    assert salida.value.code == 2
    error = capsys.readouterr().err
    assert "no entiendo --prisa" in error and "--ayuda" in error
    _sin_ingles(error)
    with pytest.raises(SystemExit):
        main(["diagnostico", "--requisitos"])
    error = capsys.readouterr().err
    assert "a la opción --requisitos le falta su valor" in error
    _sin_ingles(error)


def test_ayuda_en_espanol(capsys):
    with pytest.raises(SystemExit) as salida:
        main(["--ayuda"])
    assert salida.value.code == 0
    ayuda = capsys.readouterr().out
    assert ayuda.startswith("uso: python -m curso_llm")
    for orden in ("diagnostico", "recursos", "preparar"):
        assert orden in ayuda
    assert "muestra esta ayuda y termina" in ayuda
    _sin_ingles(ayuda)
    with pytest.raises(SystemExit):
        main(["diagnostico", "-h"])
    ayuda = capsys.readouterr().out
    assert "uso: python -m curso_llm diagnostico" in ayuda and "ruta a requirements.txt" in ayuda
    _sin_ingles(ayuda)


def test_orden_recursos(entorno_limpio, capsys):
    assert main(["recursos"]) == 0
    salida = capsys.readouterr().out
    assert salida.startswith("Recursos del curso (modo local):")
    assert "gpt2-es" in salida and "propio del curso" in salida


def test_la_orden_de_verdad_desde_la_terminal():
    proceso = subprocess.run([sys.executable, "-m", "curso_llm", "entrenar"], capture_output=True, text=True,
                             cwd=RAIZ, timeout=120)
    assert proceso.returncode == 2
    assert "no conozco la orden 'entrenar'" in proceso.stderr
    _sin_ingles(proceso.stderr)


# ---------------------------------------------------------------- secretos de Colab

TOKEN_HF = "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123"


class NotebookAccessError(Exception):
    """Lo que lanza ``google.colab.userdata.get`` si el cuaderno no tiene acceso al secreto."""


class SecretNotFoundError(Exception):
    """Lo que lanza ``google.colab.userdata.get`` si el secreto no existe."""


class TimeoutException(Exception):
    """Lo que lanza ``google.colab.userdata.get`` si Colab no responde."""


def _colab_que_lanza(monkeypatch, error: Exception):
    def get(nombre):
        raise error

    colab = types.ModuleType("google.colab")
    colab.userdata = types.SimpleNamespace(get=get)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setattr(curso_llm.sesion.getpass, "getpass", lambda texto: "")


def test_secreto_de_colab_denegado(entorno_limpio, monkeypatch, capsys):
    _colab_que_lanza(monkeypatch, NotebookAccessError("Notebook does not have access to secret HF_TOKEN"))
    assert curso_llm.iniciar_sesion_hf() is False
    salida = capsys.readouterr().out
    assert "El secreto HF_TOKEN existe en Colab, pero este cuaderno no tiene permiso para leerlo" in salida
    assert "Acceso del cuaderno" in salida
    assert "No encontré" not in salida  # no es un secreto que falte: el arreglo es otro


def test_secreto_de_colab_ausente(entorno_limpio, monkeypatch, capsys):
    _colab_que_lanza(monkeypatch, SecretNotFoundError("Secret HF_TOKEN does not exist."))
    assert curso_llm.iniciar_sesion_hf() is False
    salida = capsys.readouterr().out
    assert "No encontré un token de Hugging Face" in salida
    assert "no tiene permiso" not in salida


def test_secreto_de_colab_sin_respuesta_o_error_raro(entorno_limpio, monkeypatch, capsys):
    _colab_que_lanza(monkeypatch, TimeoutException("HF_TOKEN"))
    assert curso_llm.iniciar_sesion_hf() is False
    assert "Colab no respondió al pedirle el secreto HF_TOKEN" in capsys.readouterr().out
    _colab_que_lanza(monkeypatch, RuntimeError("algo"))
    assert curso_llm.iniciar_sesion_hf() is False
    assert "No pude leer el secreto HF_TOKEN de Colab" in capsys.readouterr().out


def test_secreto_denegado_pero_variable_de_entorno(entorno_limpio, monkeypatch, capsys):
    _colab_que_lanza(monkeypatch, NotebookAccessError("HF_TOKEN"))
    monkeypatch.setenv("HF_TOKEN", TOKEN_HF)
    assert curso_llm.iniciar_sesion_hf() is True
    salida = capsys.readouterr().out
    assert "no tiene permiso" in salida and "leído de la variable de entorno HF_TOKEN" in salida
    assert TOKEN_HF not in salida


def test_el_secreto_de_colab_manda_sobre_la_variable(entorno_limpio, monkeypatch, capsys):
    otro = "hf_" + "Z" * 30
    colab = types.ModuleType("google.colab")
    colab.userdata = types.SimpleNamespace(get=lambda nombre: {"HF_TOKEN": TOKEN_HF}[nombre])
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setenv("HF_TOKEN", otro)
    assert curso_llm.iniciar_sesion_hf(pedir=False) is True
    assert os.environ["HF_TOKEN"] == TOKEN_HF
    assert "leído de un secreto de Colab" in capsys.readouterr().out


def test_sin_pedir_no_pregunta(entorno_limpio, monkeypatch, capsys):
    def no_preguntes(texto):
        raise AssertionError("preguntó con pedir=False")

    monkeypatch.setattr(curso_llm.sesion.getpass, "getpass", no_preguntes)
    assert curso_llm.iniciar_sesion_hf(pedir=False) is False
    assert curso_llm.iniciar_sesion_wandb(pedir=False) is False


def test_token_con_espacios_se_limpia(entorno_limpio, monkeypatch, capsys):
    monkeypatch.setenv("HF_TOKEN", f"  {TOKEN_HF}\n")
    assert curso_llm.iniciar_sesion_hf() is True
    assert os.environ["HF_TOKEN"] == TOKEN_HF


@pytest.mark.parametrize("malo", ["hf_" + "a" * 19, "xx_" + "a" * 30, "hf_" + "a" * 20 + "!"])
def test_forma_del_token_hf(entorno_limpio, monkeypatch, malo):
    monkeypatch.setenv("HF_TOKEN", malo)
    with pytest.raises(curso_llm.TokenInvalido):
        curso_llm.iniciar_sesion_hf()


def test_forma_de_la_clave_wandb(entorno_limpio, monkeypatch, capsys):
    monkeypatch.setenv("WANDB_API_KEY", "a" * 39)
    with pytest.raises(curso_llm.TokenInvalido, match="al menos 40"):
        curso_llm.iniciar_sesion_wandb()
    monkeypatch.setenv("WANDB_API_KEY", "a-b_" + "c" * 36)
    assert curso_llm.iniciar_sesion_wandb() is True


def test_netrc_de_wandb_cuenta_como_clave(entorno_limpio, capsys):
    (entorno_limpio / "casa" / ".netrc").write_text("machine api.wandb.ai\n  login user\n  password x\n")
    assert curso_llm.preparar_wandb() == "online"
    (entorno_limpio / "casa" / ".netrc").write_text("machine otra.org\n  login user\n")
    assert curso_llm.preparar_wandb() == "offline"
    assert os.environ["WANDB_SILENT"] == "true"


# ---------------------------------------------------------------- permisos de la caché de modelos

COMO_USUARIO = """
import json, sys
from pathlib import Path
from curso_llm import modelos_locales as ml
from curso_llm.errores import ErrorCurso
config = ml.ConfigGPT(**json.loads(sys.argv[1]))
try:
    ml.construir_en_cache("gpt2-es", config, ml.entrenar_gpt, progreso=False, corpus=Path(sys.argv[2]))
    print(json.dumps(["sin error", ""]))
except ErrorCurso as error:
    print(json.dumps(["ErrorCurso", str(error)]))
"""


def _sin_permisos_de_root(codigo: str, *args: str) -> subprocess.CompletedProcess:
    """Ejecuta ``codigo`` sin los permisos de root sobre archivos ajenos (como root, chmod no le afecta)."""
    comando = [sys.executable, "-c", codigo, *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if not setpriv:
            pytest.skip("como root hace falta setpriv (util-linux) para probar un PermissionError")
        comando = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", *comando]
    return subprocess.run(comando, capture_output=True, text=True, timeout=300, cwd=RAIZ, env=os.environ.copy())


@pytest.mark.parametrize("sin_permiso", ["pesos", "carpeta"])
def test_caché_sin_permiso_se_explica_y_no_se_borra(corpus_chico, entorno_limpio, sin_permiso):  # noqa: F811
    carpeta = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, ml.entrenar_gpt, progreso=False, corpus=corpus_chico)
    pesos = (carpeta / "model.safetensors").read_bytes()
    objetivo = carpeta / "model.safetensors" if sin_permiso == "pesos" else carpeta
    objetivo.chmod(0)
    try:
        salida = _sin_permisos_de_root(COMO_USUARIO, json.dumps(GPT_DIMINUTO.__dict__), str(corpus_chico))
    finally:
        objetivo.chmod(0o755 if objetivo.is_dir() else 0o644)
    assert salida.returncode == 0, salida.stderr[-3000:]
    tipo, mensaje = json.loads(salida.stdout.strip().splitlines()[-1])
    assert tipo == "ErrorCurso", "un PermissionError se tomó por una carpeta dañada"
    assert mensaje.startswith("No tengo permiso para usar la caché de modelos del curso")
    assert "No borro ni vuelvo a entrenar nada" in mensaje and "CURSO_LLM_CACHE" in mensaje
    assert (carpeta / "model.safetensors").read_bytes() == pesos  # el modelo sigue ahí, intacto
    assert [c.name for c in carpeta.parent.iterdir()] == [carpeta.name]


def test_caché_en_carpeta_ajena_se_explica(corpus_chico, entorno_limpio):  # noqa: F811
    """Sin permiso para escribir en la caché: el error lo dice en español al ir a guardar."""
    modelos = entorno_limpio / "cache" / "modelos"
    modelos.mkdir(parents=True)
    modelos.chmod(0o555)
    try:
        salida = _sin_permisos_de_root(COMO_USUARIO, json.dumps(GPT_DIMINUTO.__dict__), str(corpus_chico))
    finally:
        modelos.chmod(0o755)
    assert salida.returncode == 0, salida.stderr[-3000:]
    tipo, mensaje = json.loads(salida.stdout.strip().splitlines()[-1])
    assert tipo == "ErrorCurso" and mensaje.startswith("No tengo permiso para usar la caché de modelos")
    assert str(modelos) in mensaje


# ---------------------------------------------------------------- diagnóstico sin un paquete

def _diagnostico_con(codigo_previo: str, *opciones: str, cwd) -> subprocess.CompletedProcess:
    codigo = codigo_previo + "\nimport sys\nfrom curso_llm.__main__ import main\nsys.exit(main(sys.argv[1:]))\n"
    entorno = {**os.environ, "CURSO_LLM_CACHE": str(cwd / "cache")}
    return subprocess.run([*opciones, "-c", codigo, "diagnostico"], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env=entorno)


def test_diagnostico_sin_packaging_es_una_falla(tmp_path):
    # Sin packaging (como un entorno a medias); desde otra carpeta, el diagnóstico lee curso-llm[colab].
    salida = _diagnostico_con("import sys; sys.modules['packaging'] = None", sys.executable, cwd=tmp_path)
    assert "Traceback" not in salida.stderr, salida.stderr
    assert salida.returncode == 1
    assert "[FALLA] Falta el paquete packaging" in salida.stdout and "pip install packaging" in salida.stdout
    assert "[OK] Python" in salida.stdout


def test_diagnostico_sin_curso_llm_instalado_es_una_falla(tmp_path):
    """``python -S``: sin site-packages, ni curso-llm instalado ni packaging; curso_llm desde lib/."""
    import shutil

    entorno = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # Solo el código del paquete: lib/ puede tener el curso_llm.egg-info que deja `pip install -e`,
    # y con él importlib.metadata creería que curso-llm está instalado.
    shutil.copytree(RAIZ / "lib" / "curso_llm", tmp_path / "codigo" / "curso_llm",
                    ignore=shutil.ignore_patterns("__pycache__", "datos"))
    entorno["PYTHONPATH"] = str(tmp_path / "codigo")
    entorno["CURSO_LLM_CACHE"] = str(tmp_path / "cache")
    codigo = "import sys\nfrom curso_llm.__main__ import main\nsys.exit(main(sys.argv[1:]))\n"
    salida = subprocess.run([sys.executable, "-S", "-c", codigo, "diagnostico"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120, env=entorno)
    assert "Traceback" not in salida.stderr, salida.stderr
    assert salida.returncode == 1
    assert "[FALLA] curso-llm no está instalado como paquete" in salida.stdout
    assert "[FALLA] Falta el paquete packaging" in salida.stdout


def test_diagnostico_sin_un_paquete_fijado(tmp_path):
    requisitos = tmp_path / "requirements.txt"
    requisitos.write_text("torch==2.13.0\nesto-no-esta-instalado==1.0\n")
    salida = _diagnostico_con("", sys.executable, cwd=tmp_path)
    assert "Traceback" not in salida.stderr, salida.stderr
    assert "[FALLA] esto-no-esta-instalado no está instalado (se espera 1.0, según requirements.txt). " \
           "Ejecuta: pip install -r requirements.txt" in salida.stdout
    assert "[OK] torch 2.13.0" in salida.stdout
    assert salida.returncode == 1
