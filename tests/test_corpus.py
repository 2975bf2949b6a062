"""El corpus propio y los conjuntos locales, con la misma interfaz que los del Hub."""

from __future__ import annotations

import datasets
import pytest

import curso_llm
from curso_llm import corpus
from curso_llm.errores import ErrorCurso, RecursoNoDisponible


def test_corpus_general_grande_y_variado():
    archivos = corpus.archivos_corpus()
    generales = {n: p for n, p in archivos.items() if n != corpus.ESTILO}
    assert len(generales) >= 4
    assert sum(p.stat().st_size for p in generales.values()) >= 300_000
    assert corpus.ESTILO in archivos


def test_piezas_separadas_por_guiones():
    assert corpus.piezas("Uno\nhola\n---\nDos\nchau\n\n---\n\n") == ["Uno\nhola", "Dos\nchau"]


def test_particion_fija_y_sin_solapes():
    partes = corpus.leer_corpus()
    assert set(partes["train"]).isdisjoint(partes["validation"])
    assert 0.05 < len(partes["validation"]) / (len(partes["train"]) + len(partes["validation"])) < 0.2
    assert corpus.leer_corpus() == partes  # misma partición cada vez
    for pieza in partes["validation"][:5]:
        assert corpus.parte_de(pieza) == "validation"


def test_recetas_tienen_formato_constante():
    recetas = corpus.leer_corpus(estilo=True)
    todas = recetas["train"] + recetas["validation"]
    assert len(todas) >= 100
    for receta in todas:
        assert receta.startswith("Receta: ")
        for campo in ("Ingredientes:", "Preparación:", "Consejo:"):
            assert campo in receta, receta[:60]


def test_huella_cambia_con_una_letra(tmp_path):
    (tmp_path / "a.txt").write_text("Hola\n---\nChau", encoding="utf-8")
    antes = corpus.huella_corpus(tmp_path)
    (tmp_path / "a.txt").write_text("Hola\n---\nChao", encoding="utf-8")
    assert corpus.huella_corpus(tmp_path) != antes


def test_corpus_vacio_da_error_claro(tmp_path):
    (tmp_path / "vacio.txt").write_text("\n---\n", encoding="utf-8")
    with pytest.raises(ErrorCurso, match="vacío o es demasiado pequeño"):
        corpus.leer_corpus(carpeta=tmp_path)
    with pytest.raises(RecursoNoDisponible, match="No encuentro el corpus de estilo"):
        corpus.leer_corpus(estilo=True, carpeta=tmp_path)


def test_web_local_como_el_del_hub(entorno_limpio):
    conjunto = curso_llm.cargar_conjunto("web-es")
    assert isinstance(conjunto, datasets.DatasetDict)
    assert set(conjunto) == {"train", "validation"}
    assert conjunto["train"].features == datasets.Features({"text": datasets.Value("string")})
    # La misma forma que deja normalizar_web con lo que trae el Hub (id + text, solo train).
    hub = datasets.Dataset.from_dict({"id": list(range(40)), "text": [f"texto {i}" for i in range(40)]})
    normalizado = curso_llm.recursos.normalizar_web(hub)
    assert set(normalizado) == set(conjunto)
    assert normalizado["train"].features == conjunto["train"].features
    assert normalizado["validation"].num_rows == 2


def test_sesgo_local_equilibrado_y_como_el_del_hub(entorno_limpio):
    conjunto = curso_llm.cargar_conjunto("sesgo-genero")
    assert list(conjunto) == ["train"]  # como en el Hub: solo train
    train = conjunto["train"]
    assert train.num_rows >= 600
    assert train.features["label"].names == ["sin sesgo", "con sesgo"]
    unos = sum(train["label"])
    assert unos == train.num_rows - unos
    assert len(set(train["text"])) == train.num_rows
    from test_recursos import _fila_argilla

    hub = curso_llm.normalizar_sesgo_genero(datasets.Dataset.from_list([_fila_argilla("hola", "biased")]))
    assert hub.features == train.features


def test_recetas_igual_en_los_dos_modos(entorno_limpio, monkeypatch):
    local = curso_llm.cargar_conjunto("recetas")
    monkeypatch.setenv("CURSO_LLM_MODO", "hub")
    assert curso_llm.cargar_conjunto("recetas")["train"]["text"] == local["train"]["text"]
