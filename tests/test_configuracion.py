"""La configuración del libro, los capítulos guardados y las versiones fijadas, coherentes."""

from __future__ import annotations

import re
import tomllib

import nbformat
import pytest

from curso_llm.diagnostico import _normalizar, leer_fijados

from conftest import RAIZ, capitulos, configuracion, paginas_del_indice

CAPITULOS = capitulos()


def test_configuracion_del_libro():
    c = configuracion()
    assert c["only_build_toc_files"] is True
    for patron in ["_build", ".venv", "lib", "tests", "wandb", "**/wandb"]:
        assert patron in c["exclude_patterns"], patron
    assert c["execute"]["execute_notebooks"] == "cache"
    assert c["execute"]["allow_errors"] is False
    assert c["execute"]["timeout"] >= 300
    assert c["sphinx"]["recursive_update"] is True
    assert c["sphinx"]["config"]["language"] == "es"
    assert c["sphinx"]["config"]["nb_execution_raise_on_error"] is True
    assert c["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    assert c["repository"]["url"].startswith("https://github.com/")


def test_cada_pagina_del_indice_existe():
    for pagina in paginas_del_indice():
        assert (RAIZ / f"{pagina}.md").exists() or (RAIZ / f"{pagina}.ipynb").exists(), pagina


def test_ningun_cuaderno_queda_fuera_del_indice():
    """Un capítulo fuera del índice no se construiría ni se probaría."""
    en_disco = {p.resolve() for p in (RAIZ / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts}
    assert en_disco == {p.resolve() for p in CAPITULOS}
    assert CAPITULOS, "el índice no tiene ningún capítulo"


def _celdas_de_codigo(capitulo):
    return [c for c in nbformat.read(capitulo, as_version=4).cells if c.cell_type == "code"]


@pytest.mark.parametrize("capitulo", CAPITULOS, ids=lambda p: p.stem)
def test_capitulo_guardado_sin_salidas(capitulo):
    for celda in _celdas_de_codigo(capitulo):
        assert celda.outputs == [] and celda.execution_count is None, celda.source[:60]


@pytest.mark.parametrize("capitulo", CAPITULOS, ids=lambda p: p.stem)
def test_primera_celda_instala_en_colab_desde_el_repositorio_configurado(capitulo):
    repo = configuracion()["repository"]
    primera = _celdas_de_codigo(capitulo)[0].source
    assert 'if "google.colab" in sys.modules:' in primera
    esperado = f'"curso-llm[colab] @ git+{repo["url"]}@{repo["branch"]}#subdirectory=lib"'
    assert f"%pip install -q {esperado}" in primera


@pytest.mark.parametrize("capitulo", CAPITULOS, ids=lambda p: p.stem)
def test_estructura_del_capitulo(capitulo):
    celdas = _celdas_de_codigo(capitulo)
    assert "curso_llm.iniciar_capitulo()" in celdas[1].source
    numero = capitulo.name.split("-")[0].lstrip("0")
    ultima = celdas[-1]
    # Un capítulo de dos páginas (el 6) lleva un quiz por página: capitulo-6 y capitulo-6-2.
    assert re.search(rf'mostrar_quiz\("capitulo-{numero}(-\d)?"\)', ultima.source), ultima.source
    assert "remove-input" in ultima.metadata.get("tags", [])
    for celda in celdas:
        if "mostrar_diagrama(" in celda.source or "plt." in celda.source:
            alt = celda.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 20, f"falta texto alternativo en: {celda.source[:60]}"
    texto = "\n".join(c.source for c in nbformat.read(capitulo, as_version=4).cells if c.cell_type == "markdown")
    assert "Objetivos de aprendizaje" in texto and "Tiempo estimado" in texto


def test_el_extra_de_colab_admite_lo_que_prueba_ci_y_lo_que_trae_colab():
    from packaging.requirements import Requirement

    fijados = leer_fijados((RAIZ / "requirements.txt").read_text())
    proyecto = tomllib.loads((RAIZ / "lib" / "pyproject.toml").read_text())
    extra = [Requirement(r) for r in proyecto["project"]["optional-dependencies"]["colab"]]
    assert extra, "el extra [colab] está vacío"
    colab = {_normalizar(Requirement(linea).name): Requirement(linea).specifier
             for linea in (RAIZ / "tests" / "colab_versiones.txt").read_text().splitlines()
             if linea.strip() and not linea.startswith("#")}
    for req in extra:
        assert req.specifier, f"{req.name} sin versión en el extra [colab]"
        fijado = fijados[_normalizar(req.name)]
        assert req.specifier.contains(fijado), f"{req.name}: {req.specifier} excluye {fijado}"
        if _normalizar(req.name) in colab:  # la menor versión de Colab (x.y.0) cabe en el rango
            menor = str(colab[_normalizar(req.name)]).removeprefix("==").replace("*", "0")
            assert req.specifier.contains(menor), f"{req.name}: {req.specifier} obligaría a cambiar el {menor} de Colab"
    assert fijados["torch"] == "2.13.0" and fijados["jupyter-book"].startswith("1.")


def test_restricciones_no_contradicen_requirements():
    fijados = leer_fijados((RAIZ / "requirements.txt").read_text())
    restricciones = leer_fijados((RAIZ / "constraints.txt").read_text())
    for nombre, version in fijados.items():
        if nombre in restricciones:
            assert restricciones[nombre] == version, nombre


def test_el_readme_y_ci_usan_las_mismas_ordenes():
    readme = (RAIZ / "README.md").read_text()
    bloques = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    ordenes = [linea for b in bloques for linea in b.splitlines() if linea.startswith("make ")]
    assert ordenes[:2] == ["make libro", "make pruebas"]
    assert "make pruebas" in (RAIZ / ".ci" / "run").read_text()


def test_quizzes_y_diagramas_viajan_en_el_paquete(tmp_path):
    """Lo que Colab instala desde git (una rueda de lib/) trae los quizzes y los diagramas."""
    import shutil
    import subprocess
    import sys
    import zipfile

    copia = tmp_path / "lib"  # setuptools escribe build/ junto al código: mejor en una copia
    shutil.copytree(RAIZ / "lib", copia, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(copia),
                    "-w", str(tmp_path / "rueda")], check=True, capture_output=True, timeout=300)
    (rueda,) = (tmp_path / "rueda").glob("curso_llm-*.whl")
    nombres = set(zipfile.ZipFile(rueda).namelist())
    for quiz in (RAIZ / "lib" / "curso_llm" / "quizzes").glob("*.json"):
        assert f"curso_llm/quizzes/{quiz.name}" in nombres
    for svg in (RAIZ / "lib" / "curso_llm" / "diagramas").glob("*.svg"):
        assert f"curso_llm/diagramas/{svg.name}" in nombres
    assert any(n.startswith("curso_llm/quizzes/") for n in nombres)
