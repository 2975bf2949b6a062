"""Utilidades comunes de las pruebas."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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
    """Ejecuta ``codigo`` en un intérprete nuevo (las variables de HF se leen al importar)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_", "CURSO_LLM_"))}
    env.update(entorno)
    return subprocess.run(
        [sys.executable, "-c", codigo], env=env, capture_output=True, text=True, timeout=timeout, cwd=RAIZ
    )


@pytest.fixture
def entorno_limpio(monkeypatch, tmp_path):
    """Sin variables del curso ni de Hugging Face/W&B, y con una caché propia."""
    for variable in list(os.environ):
        if variable.startswith(("CURSO_LLM_", "HF_", "TRANSFORMERS_", "WANDB_", "COLAB_")):
            monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("CURSO_LLM_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "casa"))
    (tmp_path / "casa").mkdir()
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    return tmp_path


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
