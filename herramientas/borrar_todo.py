"""Lo que el curso escribe en tu disco: lo muestra con su tamaño o lo borra.

    python herramientas/borrar_todo.py --mostrar   # make espacio
    python herramientas/borrar_todo.py             # make borrar-todo

Solo toca lo que es del curso:

- en la carpeta del repositorio: ``.venv``, ``_build``, ``.pytest_cache``, ``wandb``,
  ``lib/*.egg-info``, ``lib/build`` y los ``__pycache__``;
- la caché del curso (``CURSO_LLM_CACHE`` o ``~/.cache/curso_llm``): entera si es la de
  siempre; si fijaste otra carpeta, solo lo que el curso pone en ella (``modelos``,
  ``wandb``), y la carpeta solo si queda vacía;
- en la caché de Hugging Face (modo hub): las carpetas de los modelos y conjuntos que usa
  el curso, leídos de ``lib/curso_llm/recursos.py``. El resto de esa caché es de tus otros
  proyectos y no se toca;
- el Chromium de Playwright, si ``make pruebas`` lo descargó: con ``playwright uninstall``,
  que solo quita los navegadores que ninguna otra instalación de Playwright usa.

Solo biblioteca estándar: funciona con cualquier Python 3, también sin ``.venv``.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
EN_EL_REPOSITORIO = (".venv", "_build", ".pytest_cache", "wandb", "lib/build")
EN_LA_CACHE = ("modelos", "wandb", ".escritura")  # lo que lib/curso_llm escribe en su caché


def cache_del_curso() -> tuple[Path, bool]:
    """La carpeta de caché del curso y si es la de siempre (la misma regla que curso_llm.modo)."""
    propia = os.environ.get("CURSO_LLM_CACHE")
    if propia:
        return Path(propia).expanduser(), False
    return Path.home() / ".cache" / "curso_llm", True


def ids_del_hub(recursos: Path = RAIZ / "lib" / "curso_llm" / "recursos.py") -> list[str]:
    """Los identificadores del Hub de los recursos del curso: el tercer argumento de cada ``Recurso(...)``."""
    ids = []
    for nodo in ast.walk(ast.parse(recursos.read_text(encoding="utf-8"))):
        if isinstance(nodo, ast.Call) and getattr(nodo.func, "id", None) == "Recurso" and len(nodo.args) >= 3:
            valor = nodo.args[2]
            if isinstance(valor, ast.Constant) and isinstance(valor.value, str) and "/" in valor.value:
                ids.append(valor.value)
    return ids


def _snake(nombre: str) -> str:
    """Como ``datasets`` nombra las carpetas de un conjunto (``camelcase_to_snakecase``)."""
    nombre = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", nombre)
    return re.sub(r"([a-z\d])([A-Z])", r"\1_\2", nombre).lower()


def caches_de_hugging_face() -> tuple[Path, Path]:
    """Las carpetas de caché del Hub y de ``datasets`` (las mismas reglas que esas bibliotecas)."""
    casa = Path(os.environ.get("HF_HOME") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                / "huggingface").expanduser()
    hub = os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE")
    conjuntos = os.environ.get("HF_DATASETS_CACHE")
    return (Path(hub).expanduser() if hub else casa / "hub",
            Path(conjuntos).expanduser() if conjuntos else casa / "datasets")


def _pycache() -> list[Path]:
    """Los ``__pycache__`` del repositorio (sin entrar en .venv, _build ni .git)."""
    hallados = []
    for carpeta, subcarpetas, _ in os.walk(RAIZ):
        if "__pycache__" in subcarpetas:
            hallados.append(Path(carpeta) / "__pycache__")
        subcarpetas[:] = [s for s in subcarpetas if s not in (".venv", "_build", ".git", "__pycache__")]
    return sorted(hallados)


def lo_que_escribe_el_curso() -> list[tuple[str, Path]]:
    """(descripción, ruta) de cada cosa del curso que existe en el disco."""
    cosas = [(f"repositorio: {nombre}", RAIZ / nombre) for nombre in EN_EL_REPOSITORIO]
    cosas += [(f"repositorio: {p.relative_to(RAIZ)}", p) for p in sorted((RAIZ / "lib").glob("*.egg-info"))]
    cosas += [(f"repositorio: {p.relative_to(RAIZ)}", p) for p in _pycache()]

    cache, de_siempre = cache_del_curso()
    if de_siempre:
        cosas.append(("caché del curso (modelos locales, registros de W&B)", cache))
    else:
        cosas += [(f"caché del curso (CURSO_LLM_CACHE): {nombre}", cache / nombre) for nombre in EN_LA_CACHE]

    hub, conjuntos = caches_de_hugging_face()
    for repo_id in ids_del_hub():
        dueno, nombre = repo_id.split("/", 1)
        for tipo in ("models", "datasets"):
            cosas.append((f"caché de Hugging Face: {repo_id}", hub / f"{tipo}--{dueno}--{nombre}"))
        cosas.append((f"caché de datasets: {repo_id}", conjuntos / f"{dueno}___{_snake(nombre)}"))
    return [(descripcion, ruta) for descripcion, ruta in cosas if ruta.exists() or ruta.is_symlink()]


def tamano(ruta: Path) -> int:
    """Bytes que ocupa en disco (como du: bloques, sin seguir enlaces, sin contar dos veces)."""
    vistos, total = set(), 0
    pendientes = [ruta]
    while pendientes:
        actual = pendientes.pop()
        try:
            info = actual.lstat()
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in vistos:
            continue
        vistos.add((info.st_dev, info.st_ino))
        total += getattr(info, "st_blocks", 0) * 512 or info.st_size
        if actual.is_dir() and not actual.is_symlink():
            try:
                pendientes.extend(actual.iterdir())
            except OSError:
                pass
    return total


def legible(n: int) -> str:
    for unidad in ("B", "KB", "MB", "GB"):
        if n < 1024 or unidad == "GB":
            return f"{n:.0f} {unidad}" if unidad == "B" else f"{n:.1f} {unidad}".replace(".", ",")
        n /= 1024
    return ""


def _intocable(ruta: Path) -> bool:
    """Carpetas que nunca se borran, aunque una variable apunte a ellas."""
    real = ruta.resolve()
    prohibidas = {Path("/"), Path.home().resolve(), RAIZ, RAIZ.parent}
    return real in prohibidas or real in RAIZ.parents or real in Path.home().resolve().parents


def borrar(ruta: Path) -> None:
    if _intocable(ruta):
        print(f"  no borro {ruta}: es una carpeta que no es solo del curso")
        return
    if ruta.is_dir() and not ruta.is_symlink():
        shutil.rmtree(ruta)
    else:
        ruta.unlink()


def navegadores_de_playwright() -> Path:
    propia = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if propia:
        return Path(propia).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "ms-playwright"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ms-playwright"


def quitar_chromium_de_playwright() -> None:
    python = RAIZ / ".venv" / "bin" / "python"
    if not python.exists() or not any(navegadores_de_playwright().glob("chromium*")):
        return
    hecho = subprocess.run([str(python), "-m", "playwright", "uninstall"], capture_output=True, text=True)
    if hecho.returncode == 0:
        print("Chromium de Playwright: desinstalado (salvo si otra instalación de Playwright lo usa).")


def main(argumentos: list[str]) -> int:
    mostrar = "--mostrar" in argumentos
    cosas = lo_que_escribe_el_curso()
    total = 0
    print("Lo que el curso escribió en tu disco:" if mostrar else "Borro lo que el curso escribió en tu disco:")
    for descripcion, ruta in cosas:
        bytes_ = tamano(ruta)
        total += bytes_
        print(f"  {legible(bytes_):>9}  {descripcion}  ({ruta})")
    if not cosas:
        print("  nada: no queda nada del curso.")
    print(f"  {legible(total):>9}  en total")
    if mostrar:
        print("Para borrarlo todo: make borrar-todo")
        return 0
    if any(ruta == RAIZ / ".venv" for _, ruta in cosas):
        quitar_chromium_de_playwright()
    for _, ruta in cosas:
        borrar(ruta)
    cache, de_siempre = cache_del_curso()
    if not de_siempre and cache.is_dir() and not any(cache.iterdir()) and not _intocable(cache):
        cache.rmdir()
    print("Hecho. Lo demás de ~/.cache/huggingface es de otros proyectos y sigue ahí; "
          "los registros de W&B que subiste a wandb.ai se borran desde la web.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
