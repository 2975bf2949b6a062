"""Las dos órdenes del README en cualquier portátil: qué Python elige `make`, que los pines
resuelvan con Python 3.11, 3.12 y 3.13, el navegador de las pruebas y `make borrar-todo`.

Los intérpretes son reales (los de pyenv en esta máquina); lo que falta en la máquina se
omite con su motivo, o falla con CURSO_LLM_PRUEBAS_COMPLETAS=1 (la integración continua).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import RAIZ, falta_en_la_maquina

VERSIONES = ("3.11", "3.12", "3.13")
ELEGIR = RAIZ / "herramientas" / "elegir_python.sh"
BORRAR = RAIZ / "herramientas" / "borrar_todo.py"
# Lo que puede quedar sin fijar en constraints.txt: el propio curso y lo que torch pide solo
# en algunas plataformas o versiones (su build CUDA de PyPI en Linux; setuptools desde 3.12).
SIN_FIJAR_PERMITIDO = re.compile(r"^(curso-llm|setuptools|wheel|triton|nvidia-.*|cuda-.*)$")
SIN_RED = ("NewConnectionError", "ConnectTimeoutError", "Name or service not known", "nodename nor servname",
           "Temporary failure in name resolution", "Network is unreachable", "ProxyError")


def _pyenv() -> Path:
    return Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")


def _version(python: str, completa: bool = False) -> str | None:
    try:
        hecho = subprocess.run([python, "-c", "import sys; print('.'.join(map(str, sys.version_info[:3])))"],
                               capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    if hecho.returncode != 0:
        return None
    return hecho.stdout.strip() if completa else hecho.stdout.strip().rsplit(".", 1)[0]


def interpretes(version: str) -> list[str]:
    """Cada Python ``version`` distinto (por versión completa) de la máquina que de verdad ejecuta:
    del PATH, del sistema o de pyenv (sus «shims» de una versión no activada no cuentan)."""
    candidatos = [shutil.which(f"python{version}"), f"/usr/bin/python{version}", f"/usr/local/bin/python{version}",
                  f"/opt/homebrew/bin/python{version}"]
    candidatos += sorted(str(p) for p in (_pyenv() / "versions").glob(f"{version}.*/bin/python{version}"))
    por_version: dict[str, str] = {}
    for candidato in candidatos:
        if candidato and os.path.exists(candidato):
            completa = _version(candidato, completa=True)
            if completa and completa.startswith(f"{version}.") and completa not in por_version:
                por_version[completa] = candidato
    return list(por_version.values())


def interprete(version: str) -> str | None:
    return next(iter(interpretes(version)), None)


def fijados(*archivos: str) -> dict[str, str]:
    pines = {}
    for archivo in archivos:
        for linea in (RAIZ / archivo).read_text(encoding="utf-8").splitlines():
            hallado = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", linea.strip())
            if hallado:
                pines[_normal(hallado.group(1))] = hallado.group(2)
    return pines


def _normal(nombre: str) -> str:
    return re.sub(r"[-_.]+", "-", nombre).lower()


# ── Los pines resuelven con cada Python ──────────────────────────────────────────────
#
# Con el resolvedor de pip y el intérprete de verdad (`pip --python X install --dry-run`), no
# con `--python-version`: esa opción elige ruedas para otra versión pero evalúa los marcadores
# (`setuptools; python_version >= "3.12"`, que pide torch) con el Python que ejecuta pip.
# Con cada intérprete distinto que haya (aquí, el 3.11.2 de Debian además de los de pyenv: con
# él se vio que soupsieve 4 pide Python ≥ 3.11.5), de dos en dos.

def _resolver(python: str, informe: Path) -> subprocess.CompletedProcess:
    orden = [sys.executable, "-m", "pip", "--python", python, "install", "--dry-run", "--ignore-installed",
             "--quiet", "--report", str(informe), "-r", "requirements.txt", "-c", "constraints.txt"]
    return subprocess.run(orden, cwd=RAIZ, capture_output=True, text=True, timeout=1200)


@pytest.fixture(scope="module")
def resueltos(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("resolvedor")
    tareas = [(v, python, carpeta / f"{v}-{i}.json") for v in VERSIONES for i, python in enumerate(interpretes(v))]
    with ThreadPoolExecutor(2) as hilos:  # de dos en dos: con más, en 2 núcleos solo se estorban
        hechos = list(hilos.map(lambda t: _resolver(t[1], t[2]), tareas))
    resultado = {v: [] for v in VERSIONES}
    for (v, python, informe), hecho in zip(tareas, hechos):
        resultado[v].append((python, hecho, informe))
    return resultado


@pytest.mark.parametrize("version", VERSIONES)
def test_los_pines_resuelven_con(version, resueltos):
    if not resueltos[version]:
        falta_en_la_maquina(f"no hay Python {version} en esta máquina (ni en el PATH ni en pyenv)")
    for python, hecho, informe in resueltos[version]:
        salida = hecho.stdout + hecho.stderr
        if hecho.returncode != 0 and any(marca in salida for marca in SIN_RED):
            falta_en_la_maquina(f"sin conexión con el índice de paquetes para resolver con Python {version}")
        errores = [linea for linea in salida.splitlines() if "is ignored" not in linea]
        assert hecho.returncode == 0, f"Los pines no resuelven con {python}:\n" + "\n".join(errores[-40:])

        datos = json.loads(informe.read_text())
        assert datos["environment"]["python_version"] == version
        instalaria = {_normal(i["metadata"]["name"]): i["metadata"]["version"] for i in datos["install"]}
        pines = fijados("requirements.txt", "constraints.txt")
        assert instalaria["torch"].split("+")[0] == pines["torch"] == "2.13.0"
        distintos = {n: (v, pines[n]) for n, v in instalaria.items() if n in pines and v.split("+")[0] != pines[n]}
        assert not distintos, distintos
        sin_fijar = sorted(n for n in instalaria if n not in pines and not SIN_FIJAR_PERMITIDO.match(n))
        assert not sin_fijar, f"Con {python} entran paquetes sin versión fija en constraints.txt: {sin_fijar}"


# ── Qué Python elige make ────────────────────────────────────────────────────────────

def _elegir(*argumentos: str, path: str) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/sh", str(ELEGIR), *argumentos], env={"PATH": path, "HOME": str(Path.home())},
                          capture_output=True, text=True, timeout=60)


def _viejo() -> str:
    """Un Python real anterior a 3.11 (pyenv los tiene), para ver que no se acepta."""
    for version in ("3.10", "3.9", "3.8"):
        python = interprete(version)
        if python:
            return python
    falta_en_la_maquina("no hay un Python anterior a 3.11 (pyenv) para probar que no se acepta")


@pytest.fixture
def trece():
    python = interprete("3.13")
    if python is None:
        falta_en_la_maquina("no hay Python 3.13 en esta máquina (ni en el PATH ni en pyenv)")
    return python


def test_elige_el_primero_que_sirve_y_salta_lo_que_no(tmp_path, trece):
    # En el PATH: un python3 viejo y un python3.12 que no ejecuta (como un shim de pyenv sin activar).
    (tmp_path / "python3").symlink_to(_viejo())
    roto = tmp_path / "python3.12"
    roto.write_text("#!/bin/sh\necho 'pyenv: python3.12: command not found' >&2\nexit 127\n")
    roto.chmod(0o755)
    assert _elegir(path=str(tmp_path)).returncode == 1
    (tmp_path / "python3.13").symlink_to(trece)
    hecho = _elegir(path=str(tmp_path))
    assert hecho.returncode == 0, hecho.stderr
    assert _version(hecho.stdout.strip()) == "3.13"


def test_sin_python_adecuado_dice_que_instalar_en_una_linea(tmp_path):
    (tmp_path / "python3").symlink_to(_viejo())
    hecho = _elegir(path=str(tmp_path))
    assert hecho.returncode == 1 and hecho.stdout == ""
    lineas = hecho.stderr.strip().splitlines()
    assert len(lineas) == 1
    assert "No encuentro Python 3.11, 3.12 ni 3.13" in lineas[0]
    assert "apt-get install" in lineas[0] and "brew install" in lineas[0] and "PYTHON=" in lineas[0]


def test_python_fijado_a_mano(tmp_path, trece):
    viejo = _viejo()
    hecho = _elegir(viejo, path=os.environ["PATH"])
    assert hecho.returncode == 1
    assert f"PYTHON={viejo} es Python {_version(viejo)}" in hecho.stderr
    assert "no es un Python que pueda ejecutar" in _elegir(str(tmp_path / "nada"), path=os.environ["PATH"]).stderr
    hecho = _elegir(trece, path=str(tmp_path))
    assert hecho.returncode == 0 and _version(hecho.stdout.strip()) == "3.13"


def _make_en_copia(tmp_path: Path, *argumentos: str, copiar: bool = True, **variables: str) -> subprocess.CompletedProcess:
    """``make`` en una copia de lo que usa el Makefile, para no tocar el .venv de verdad."""
    copia = tmp_path / "repo"
    for nombre in ("Makefile", "requirements.txt", "constraints.txt", "lib/pyproject.toml", "herramientas"):
        if not copiar:
            break
        destino = copia / nombre
        destino.parent.mkdir(parents=True, exist_ok=True)
        if (RAIZ / nombre).is_dir():
            shutil.copytree(RAIZ / nombre, destino)
        else:
            shutil.copy(RAIZ / nombre, destino)
    entorno = {k: v for k, v in os.environ.items() if k not in ("PYTHON", "TORCH_INDICE", "MAKEFLAGS")}
    entorno.update(variables)
    return subprocess.run(["make", "--no-print-directory", *argumentos], cwd=copia, env=entorno,
                          capture_output=True, text=True, timeout=120)


def test_con_python_de_otra_version_make_rehace_el_entorno(tmp_path, trece):
    """Un .venv al día se reutiliza; PYTHON= de otra versión lo rehace (si no, se ignoraría)."""
    _make_en_copia(tmp_path, "-n", "entorno")
    repo = tmp_path / "repo"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(repo / ".venv")], check=True)
    (repo / ".venv" / ".instalado").touch()
    assert "venv" not in _make_en_copia(tmp_path, "-n", "entorno", copiar=False).stdout
    assert "venv" not in _make_en_copia(tmp_path, "-n", "entorno", f"PYTHON={sys.executable}", copiar=False).stdout
    assert "elegir_python.sh" in _make_en_copia(tmp_path, "-n", "entorno", f"PYTHON={trece}", copiar=False).stdout


def test_make_para_sin_python_adecuado_y_no_crea_el_entorno(tmp_path):
    hecho = _make_en_copia(tmp_path, "entorno", f"PYTHON={_viejo()}")
    assert hecho.returncode != 0
    assert "el curso necesita 3.11, 3.12 o 3.13" in hecho.stderr
    assert not (tmp_path / "repo" / ".venv").exists()


@pytest.mark.skipif(sys.platform != "linux", reason="el índice de CPU de PyTorch solo se usa en Linux")
def test_en_linux_torch_sale_del_indice_de_cpu_salvo_que_digas_otro(tmp_path):
    cpu = '--index-url "https://download.pytorch.org/whl/cpu" "torch==2.13.0"'
    assert cpu in _make_en_copia(tmp_path / "a", "-n", "entorno").stdout
    otro = _make_en_copia(tmp_path / "b", "-n", "entorno", TORCH_INDICE="https://download.pytorch.org/whl/cu126")
    assert '--index-url "https://download.pytorch.org/whl/cu126"' in otro.stdout
    vacio = _make_en_copia(tmp_path / "c", "-n", "entorno", TORCH_INDICE="").stdout
    assert "--index-url" not in vacio.replace('--index-url ""', "")


# ── El navegador de las pruebas ──────────────────────────────────────────────────────

def _pytest_del_navegador(**variables: str) -> subprocess.CompletedProcess:
    entorno = {**os.environ, **variables}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_navegador.py"],
                          cwd=RAIZ, env=entorno, capture_output=True, text=True, timeout=300)


def test_sin_navegador_se_omiten_y_se_cuentan():
    hecho = _pytest_del_navegador(CURSO_LLM_CHROMIUM="/ruta/que/no/existe", CURSO_LLM_PRUEBAS_COMPLETAS="")
    assert hecho.returncode == 0, hecho.stdout[-3000:]
    total = int(re.search(r"collected (\d+) items", hecho.stdout).group(1))
    assert total >= 1
    assert f"Pruebas del navegador: {total} de {total} OMITIDAS." in hecho.stdout
    assert "CURSO_LLM_CHROMIUM=/ruta/que/no/existe no es un ejecutable" in hecho.stdout
    assert f"{total} skipped" in hecho.stdout.splitlines()[-1]


def test_sin_navegador_las_pruebas_completas_fallan_sin_construir_el_libro():
    hecho = _pytest_del_navegador(CURSO_LLM_CHROMIUM="/ruta/que/no/existe", CURSO_LLM_PRUEBAS_COMPLETAS="1")
    assert hecho.returncode == 1
    assert "passed" not in hecho.stdout.splitlines()[-1] and "error" in hecho.stdout.splitlines()[-1]
    assert "Sin navegador" in hecho.stdout


def test_busca_el_del_sistema_y_respeta_la_variable(monkeypatch, tmp_path):
    import buscar_chromium

    monkeypatch.setenv("CURSO_LLM_CHROMIUM", str(tmp_path / "no-existe"))
    assert buscar_chromium.buscar().ruta is None
    monkeypatch.setenv("CURSO_LLM_CHROMIUM", sys.executable)  # cualquier ejecutable real
    assert buscar_chromium.buscar() == buscar_chromium.Navegador(sys.executable, "el de CURSO_LLM_CHROMIUM")
    monkeypatch.delenv("CURSO_LLM_CHROMIUM")
    monkeypatch.setenv("PATH", str(tmp_path))  # sin chromium en el PATH: solo /usr/bin/chromium cuenta
    hallado = buscar_chromium.buscar()
    if os.access("/usr/bin/chromium", os.X_OK):
        assert hallado == buscar_chromium.Navegador("/usr/bin/chromium", "del sistema")
    else:
        assert hallado.ruta is None or hallado.origen == "de Playwright"


def test_el_chromium_de_snap_no_cuenta(monkeypatch, tmp_path):
    """En Ubuntu, chromium y chromium-browser son el snap, que no lee el perfil temporal de Playwright."""
    import buscar_chromium

    guion = tmp_path / "chromium-browser"  # como el guion de Ubuntu que lanza el snap
    guion.write_text("#!/bin/sh\nexec /snap/bin/chromium \"$@\"\n")
    guion.chmod(0o755)
    enlace = tmp_path / "chromium"  # como /snap/bin/chromium → /usr/bin/snap
    (tmp_path / "snap").write_text("#!/bin/sh\n")
    (tmp_path / "snap").chmod(0o755)
    enlace.symlink_to(tmp_path / "snap")
    assert buscar_chromium._es_snap(str(guion)) and buscar_chromium._es_snap(str(enlace))
    if os.access("/usr/bin/chromium", os.X_OK):
        assert not buscar_chromium._es_snap("/usr/bin/chromium")  # el guion de Debian no es snap


# ── make borrar-todo: todo lo del curso y nada más ──────────────────────────────────

def test_los_ids_del_hub_son_los_del_registro():
    sys.path.insert(0, str(BORRAR.parent))
    try:
        import borrar_todo
    finally:
        sys.path.remove(str(BORRAR.parent))
    from curso_llm import recursos

    registro = {r.hub_id for r in [*recursos.MODELOS.values(), *recursos.CONJUNTOS.values()] if r.hub_id}
    assert set(borrar_todo.ids_del_hub()) == registro


def _archivo(ruta: Path, bytes_: int = 10) -> Path:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_bytes(b"x" * bytes_)
    return ruta


def _borrar_en_copia(tmp_path: Path, *argumentos: str, **variables: str) -> tuple[Path, subprocess.CompletedProcess]:
    repo = tmp_path / "repo"
    shutil.copytree(RAIZ / "herramientas", repo / "herramientas", dirs_exist_ok=True)
    _archivo(repo / "lib" / "curso_llm" / "recursos.py").write_text(
        (RAIZ / "lib" / "curso_llm" / "recursos.py").read_text(encoding="utf-8"), encoding="utf-8")
    entorno = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "casa"), **variables}
    hecho = subprocess.run([sys.executable, str(repo / "herramientas" / "borrar_todo.py"), *argumentos],
                           env=entorno, capture_output=True, text=True, timeout=120)
    return repo, hecho


def test_borrar_todo_quita_lo_del_curso_y_deja_lo_ajeno(tmp_path):
    casa = tmp_path / "casa"
    repo = tmp_path / "repo"
    del_curso = [
        _archivo(repo / ".venv" / "bin" / "python-falso", 5000),
        _archivo(repo / "_build" / "html" / "index.html"),
        _archivo(repo / ".pytest_cache" / "README.md"),
        _archivo(repo / "wandb" / "run-1" / "x"),
        _archivo(repo / "lib" / "curso_llm.egg-info" / "PKG-INFO"),
        _archivo(repo / "lib" / "curso_llm" / "__pycache__" / "x.pyc"),
        _archivo(casa / ".cache" / "curso_llm" / "modelos" / "gpt2-es-abc" / "model.safetensors"),
        _archivo(casa / ".cache" / "huggingface" / "hub" / "models--DeepESP--gpt2-spanish" / "blobs" / "a"),
        _archivo(casa / ".cache" / "huggingface" / "hub" / "datasets--argilla--twitter-genderbias" / "x"),
        _archivo(casa / ".cache" / "huggingface" / "datasets" / "argilla___twitter-genderbias" / "x"),
    ]
    ajeno = [
        _archivo(casa / ".cache" / "huggingface" / "hub" / "models--otra--cosa" / "blobs" / "a"),
        _archivo(casa / ".cache" / "huggingface" / "datasets" / "otra___cosa" / "x"),
        _archivo(casa / ".cache" / "otro-proyecto" / "x"),
        _archivo(repo / "book" / "01.ipynb"),
    ]
    _, mostrado = _borrar_en_copia(tmp_path, "--mostrar")
    assert mostrado.returncode == 0, mostrado.stderr
    assert "en total" in mostrado.stdout and "make borrar-todo" in mostrado.stdout
    assert all(r.exists() for r in del_curso + ajeno), "--mostrar no borra nada"

    _, hecho = _borrar_en_copia(tmp_path)
    assert hecho.returncode == 0, hecho.stderr
    quedan = [r for r in del_curso if r.exists()]
    assert not quedan, quedan
    assert all(r.exists() for r in ajeno)
    assert not (casa / ".cache" / "curso_llm").exists()


def test_borrar_todo_con_una_cache_propia_solo_quita_lo_que_el_curso_pone(tmp_path):
    casa = tmp_path / "casa"
    propia = casa / "proyectos"
    modelo = _archivo(propia / "modelos" / "bert-abc" / "model.safetensors")
    registro = _archivo(propia / "wandb" / "offline-run" / "x")
    mio = _archivo(propia / "mi-tesis.txt")
    _, hecho = _borrar_en_copia(tmp_path, CURSO_LLM_CACHE=str(propia))
    assert hecho.returncode == 0, hecho.stderr
    assert not modelo.exists() and not registro.exists()
    assert mio.exists()

    # Aunque la variable apunte a la carpeta personal, la carpeta personal no se borra.
    _archivo(casa / "modelos" / "gpt2-es-abc" / "x")
    _, hecho = _borrar_en_copia(tmp_path, CURSO_LLM_CACHE=str(casa))
    assert hecho.returncode == 0, hecho.stderr
    assert casa.is_dir() and mio.exists() and not (casa / "modelos").exists()


def test_el_readme_solo_nombra_objetivos_del_makefile():
    objetivos = set(re.findall(r"^([a-z][a-z-]*):", (RAIZ / "Makefile").read_text(), flags=re.M))
    nombrados = set(re.findall(r"`make ([a-z][a-z-]*)", (RAIZ / "README.md").read_text()))
    nombrados |= set(re.findall(r"^make ([a-z][a-z-]*)", (RAIZ / "README.md").read_text(), flags=re.M))
    assert {"libro", "pruebas", "borrar-todo", "espacio"} <= nombrados
    assert nombrados <= objetivos, nombrados - objetivos
