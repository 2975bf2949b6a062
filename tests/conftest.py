"""Utilidades comunes de las pruebas."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

import buscar_chromium

RAIZ = Path(__file__).resolve().parent.parent
HTML = RAIZ / "_build" / "html"
CACHE_JUPYTER = RAIZ / "_build" / ".jupyter_cache"


def configuracion() -> dict:
    return yaml.safe_load((RAIZ / "_config.yml").read_text(encoding="utf-8"))


def paginas_del_indice() -> list[str]:
    """Las páginas de _toc.yml (sin extensión, relativas a la raíz), en orden."""
    toc = yaml.safe_load((RAIZ / "_toc.yml").read_text(encoding="utf-8"))
    paginas = [toc["root"]]

    def recorrer(entradas):
        for entrada in entradas or []:
            if "file" in entrada:
                paginas.append(entrada["file"])
            recorrer(entrada.get("sections"))

    for parte in toc.get("parts", []):
        recorrer(parte.get("chapters"))
    recorrer(toc.get("chapters"))
    return paginas


def capitulos() -> list[Path]:
    """Los cuadernos (.ipynb) que figuran en el índice: los capítulos del curso."""
    return [RAIZ / f"{p}.ipynb" for p in paginas_del_indice() if (RAIZ / f"{p}.ipynb").exists()]


def ejecutar_python(codigo: str, entorno: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Ejecuta ``codigo`` en un intérprete nuevo (las variables de HF se leen al importar).

    Sin las variables de HF ni las del modo del curso (las fija ``entorno``), pero con la misma
    ``CURSO_LLM_CACHE`` que estas pruebas: si la quitara, el intérprete nuevo buscaría (y escribiría)
    en ``~/.cache/curso_llm`` en vez de en la caché que eligió quien ejecuta las pruebas."""
    env = {k: v for k, v in os.environ.items()
           if k == "CURSO_LLM_CACHE" or not k.startswith(("HF_", "TRANSFORMERS_", "CURSO_LLM_"))}
    env.update(entorno)
    return subprocess.run(
        [sys.executable, "-c", codigo], env=env, capture_output=True, text=True, timeout=timeout, cwd=RAIZ
    )


def ejecutar_sin_utf8(codigo: str, cache, *argumentos: str) -> str:
    """Ejecuta ``codigo`` con LC_ALL=C y sin el modo UTF-8 de Python (como algunos Windows o
    contenedores), comprueba que de verdad no hay UTF-8 y devuelve la última línea que imprime."""
    entorno = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
               "PYTHONIOENCODING": "utf-8", "CURSO_LLM_CACHE": str(cache)}
    codigo = "import locale\nprint(locale.getpreferredencoding(False))\n" + codigo
    salida = subprocess.run([sys.executable, "-c", codigo, *argumentos], capture_output=True, text=True, env=entorno,
                            timeout=120)
    assert salida.returncode == 0, salida.stderr[-2000:]
    lineas = salida.stdout.strip().splitlines()
    assert lineas[0].lower() in ("ansi_x3.4-1968", "ascii", "us-ascii")  # de verdad sin UTF-8
    return lineas[-1]


@pytest.fixture(autouse=True)
def _sin_fugas_de_wandb():
    """Ninguna prueba deja variables de W&B en el proceso de pytest.

    ``preparar_wandb`` escribe ``WANDB_MODE`` y compañía en ``os.environ``. Si una prueba las dejaba,
    los capítulos que se ejecutaban después (en ``test_estabilidad``) heredaban ``WANDB_MODE=offline``,
    y ``transformers`` imprime entonces «[INFO] Running in WANDB offline mode» al importarse: la
    página cambiaba entre dos construcciones."""
    antes = {k: v for k, v in os.environ.items() if k.startswith("WANDB_")}
    yield
    despues = {k: v for k, v in os.environ.items() if k.startswith("WANDB_")}
    assert despues == antes, f"la prueba dejó variables de W&B en el entorno: {sorted(set(despues) ^ set(antes))}"


@pytest.fixture
def entorno_limpio(monkeypatch, tmp_path):
    """Sin variables del curso ni de Hugging Face/W&B, y con una caché propia. Al terminar, el
    entorno vuelve a ser el de antes, también lo que escribieron el curso o W&B sin monkeypatch."""
    original = dict(os.environ)
    for variable in list(os.environ):
        if variable.startswith(("CURSO_LLM_", "HF_", "TRANSFORMERS_", "WANDB_", "COLAB_")):
            monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("CURSO_LLM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "casa"))
    (tmp_path / "casa").mkdir()
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    yield tmp_path
    monkeypatch.undo()  # antes que nada: si no, deshacería después lo que la prueba cambió con él
    os.environ.clear()
    os.environ.update(original)


@pytest.fixture(scope="session")
def libro():
    """Construye el libro una vez por sesión, como `make libro`, y devuelve su salida.

    Si tests/test_capitulos.py corrió antes, la caché de jupyter-cache ya tiene los
    capítulos ejecutados y la construcción no los vuelve a ejecutar.
    """
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    proceso = subprocess.run(
        [str(jupyter_book), "build", ".", "--warningiserror", "--nitpick", "--keep-going"],
        cwd=RAIZ, capture_output=True, text=True, timeout=3600,
    )
    return proceso


# ── Lo que falta en la máquina: se omite y se cuenta, nunca en silencio ──────────────────
#
# Una prueba que necesita algo de fuera del repositorio (un navegador, la red del índice de
# paquetes, otro Python) y no lo encuentra se omite con el motivo en español, y al final
# pytest dice cuántas se omitieron y por qué. Con CURSO_LLM_PRUEBAS_COMPLETAS=1 (la
# integración continua lo fija) no se omite: falla.

AVISO_NAVEGADOR = "Sin navegador"
_NAVEGADOR = pytest.StashKey[int]()


@functools.cache
def chromium_de_las_pruebas() -> buscar_chromium.Navegador:
    """El Chromium de las pruebas del navegador (lo busca una vez por sesión)."""
    return buscar_chromium.buscar()


def motivo_sin_navegador(motivo: str) -> str:
    return f"{AVISO_NAVEGADOR}: {motivo}. {buscar_chromium.COMO_CONSEGUIRLO}"


def falta_en_la_maquina(motivo: str) -> None:
    """Omite la prueba por algo que falta en la máquina, o la hace fallar en las pruebas completas."""
    if buscar_chromium.pruebas_completas():
        pytest.fail(f"{motivo} (CURSO_LLM_PRUEBAS_COMPLETAS pide no omitir nada)", pytrace=False)
    pytest.skip(motivo)


def pytest_report_header(config):
    hallado = chromium_de_las_pruebas()
    lugar = f"{hallado.ruta} ({hallado.origen})" if hallado.ruta else f"ninguno: {hallado.origen}"
    completas = ", pruebas completas: nada se omite" if buscar_chromium.pruebas_completas() else ""
    return f"Navegador de las pruebas: {lugar}{completas}"


@pytest.hookimpl(trylast=True)  # después de -k y -m: cuenta solo las que se van a ejecutar
def pytest_collection_modifyitems(config, items):
    del_navegador = [item for item in items if "navegador" in getattr(item, "fixturenames", ())]
    config.stash[_NAVEGADOR] = len(del_navegador)
    hallado = chromium_de_las_pruebas() if del_navegador else None
    if hallado and hallado.ruta is None and not buscar_chromium.pruebas_completas():
        marca = pytest.mark.skip(reason=motivo_sin_navegador(hallado.origen))
        for item in del_navegador:
            item.add_marker(marca)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """En las pruebas completas, sin navegador fallan ya, antes de construir el libro para nada."""
    if "navegador" in getattr(item, "fixturenames", ()) and buscar_chromium.pruebas_completas():
        hallado = chromium_de_las_pruebas()
        if hallado.ruta is None:
            falta_en_la_maquina(motivo_sin_navegador(hallado.origen))


def _motivo(informe) -> str:
    motivo = informe.longrepr[2] if isinstance(informe.longrepr, tuple) else str(informe.longrepr)
    return motivo.removeprefix("Skipped: ")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    omitidas = [i for i in terminalreporter.stats.get("skipped", []) if i.when in ("setup", "call")]
    total_navegador = config.stash.get(_NAVEGADOR, 0)
    del_navegador = sum(1 for i in omitidas if _motivo(i).startswith(AVISO_NAVEGADOR))
    if not omitidas and not total_navegador:
        return
    terminalreporter.section("Resumen en español", sep="=")
    if total_navegador:
        if del_navegador:
            terminalreporter.write_line(
                f"Pruebas del navegador: {del_navegador} de {total_navegador} OMITIDAS.", red=True, bold=True)
        elif chromium_de_las_pruebas().ruta:
            hallado = chromium_de_las_pruebas()
            terminalreporter.write_line(
                f"Pruebas del navegador: {total_navegador}, con {hallado.ruta} ({hallado.origen}).")
        else:
            terminalreporter.write_line(
                f"Pruebas del navegador: {total_navegador}, sin Chromium: fallan (pruebas completas).", red=True)
    if omitidas:
        terminalreporter.write_line(f"{len(omitidas)} pruebas omitidas en total (no se ejecutaron):", yellow=True)
        for motivo, cuantas in Counter(_motivo(i) for i in omitidas).most_common():
            terminalreporter.write_line(f"  {cuantas} × {motivo}")
