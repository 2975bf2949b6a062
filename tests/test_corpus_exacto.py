"""El corpus al detalle: huella fijada, partición que exige las dos partes, mensajes completos y
conjuntos locales con el texto que les toca (no solo la forma)."""

from __future__ import annotations

import pytest

import curso_llm
from curso_llm import corpus
from curso_llm.errores import ErrorCurso, RecursoNoDisponible


def test_huella_del_corpus_fijada(tmp_path):
    """La huella entra en la clave de caché de los modelos: si cambia su cálculo, todos se reentrenan."""
    (tmp_path / "a.txt").write_text("Uno\n---\nDos", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Tres", encoding="utf-8")
    (tmp_path / "no-cuenta.md").write_text("fuera del corpus", encoding="utf-8")
    assert corpus.huella_corpus(tmp_path) == "cc428f633b6529a1"
    (tmp_path / "b.txt").rename(tmp_path / "c.txt")  # mismo texto, otro nombre: otra huella
    assert corpus.huella_corpus(tmp_path) != "cc428f633b6529a1"


def test_piezas_solo_se_separan_con_tres_guiones():
    assert corpus.piezas("  A \n  ---  \nB\n----\nC\n---\n\n---\n") == ["A", "B\n----\nC"]
    assert corpus.piezas("") == []


def test_corpus_sin_validacion_es_un_error(tmp_path):
    (tmp_path / "general.txt").write_text("Pieza número 0.", encoding="utf-8")  # va a train
    assert corpus.parte_de("Pieza número 0.") == "train"
    with pytest.raises(ErrorCurso) as error:
        corpus.leer_corpus(carpeta=tmp_path)
    assert str(error.value) == ("El corpus está vacío o es demasiado pequeño para tener entrenamiento y "
                                "validación: añade piezas separadas por líneas '---'.")


def test_corpus_sin_entrenamiento_es_un_error(tmp_path):
    (tmp_path / "general.txt").write_text("Pieza número 1.", encoding="utf-8")  # va a validación
    with pytest.raises(ErrorCurso, match="vacío o es demasiado pequeño"):
        corpus.leer_corpus(carpeta=tmp_path)


def test_corpus_que_falta_mensaje_completo(tmp_path):
    (tmp_path / "general.txt").write_text("Pieza número 0.\n---\nPieza número 1.", encoding="utf-8")
    with pytest.raises(RecursoNoDisponible) as error:
        corpus.leer_corpus(estilo=True, carpeta=tmp_path)
    assert str(error.value) == f"No encuentro el corpus de estilo (recetas.txt) en {tmp_path}."
    (tmp_path / "general.txt").rename(tmp_path / "recetas.txt")
    with pytest.raises(RecursoNoDisponible) as error:
        corpus.leer_corpus(carpeta=tmp_path)
    assert str(error.value) == f"No encuentro el corpus general en {tmp_path}."


def test_cada_archivo_va_a_su_corpus(tmp_path):
    (tmp_path / "general.txt").write_text("Pieza número 0.\n---\nPieza número 1.", encoding="utf-8")
    (tmp_path / "recetas.txt").write_text("Receta: a\n---\nPieza número 11.\n---\nReceta: b", encoding="utf-8")
    assert corpus.leer_corpus(carpeta=tmp_path) == {"train": ["Pieza número 0."], "validation": ["Pieza número 1."]}
    assert corpus.leer_corpus(estilo=True, carpeta=tmp_path) == {"train": ["Receta: b"],
                                                                 "validation": ["Receta: a", "Pieza número 11."]}
    assert list(corpus.archivos_corpus(tmp_path)) == ["general", "recetas"]


def test_web_es_local_es_el_corpus_general(entorno_limpio):
    web = curso_llm.cargar_conjunto("web-es")
    general = corpus.leer_corpus()
    assert web["train"]["text"] == general["train"] and web["validation"]["text"] == general["validation"]
    assert not any(t.startswith("Receta: ") for t in web["train"]["text"])


def test_recetas_locales_son_el_corpus_de_estilo(entorno_limpio):
    recetas = curso_llm.cargar_conjunto("recetas")
    estilo = corpus.leer_corpus(estilo=True)
    assert recetas["train"]["text"] == estilo["train"] and recetas["validation"]["text"] == estilo["validation"]
    assert recetas["train"].features["text"].dtype == "string"


def test_carpeta_de_datos_del_paquete():
    datos = corpus.carpeta_datos()
    assert (datos / "corpus" / "recetas.txt").is_file() and (datos / "sesgo" / "sesgo_genero.jsonl").is_file()
    assert corpus.archivos_corpus()["recetas"] == datos / "corpus" / "recetas.txt"


def test_la_ultima_pieza_conserva_sus_lineas():
    assert corpus.piezas("Uno\ndos\n---\nTres\ncuatro") == ["Uno\ndos", "Tres\ncuatro"]


def _jsonl(tmp_path, monkeypatch, texto):
    (tmp_path / "sesgo").mkdir()
    (tmp_path / "sesgo" / "f.jsonl").write_text(texto, encoding="utf-8")
    monkeypatch.setattr(corpus, "carpeta_datos", lambda: tmp_path)


def test_leer_jsonl_salta_lineas_vacias_y_conserva_el_orden(tmp_path, monkeypatch):
    _jsonl(tmp_path, monkeypatch, '{"a": 1}\n\n   \n{"a": 2}\n')
    assert corpus.leer_jsonl("sesgo/f.jsonl", lambda f: "a" in f, "{a}") == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize("linea, mensaje", [
    ('{"a": 1', r"La línea 2 de f\.jsonl no es JSON válido \(.+\): cada línea debe ser un objeto \{a\}\.$"),
    ('[1, 2]', r"La línea 2 de f\.jsonl no tiene la forma \{a\}\.$"),
    ('{"b": 1}', r"La línea 2 de f\.jsonl no tiene la forma \{a\}\.$"),
])
def test_leer_jsonl_nombra_la_linea_mala(tmp_path, monkeypatch, linea, mensaje):
    _jsonl(tmp_path, monkeypatch, '{"a": 0}\n' + linea + "\n")
    with pytest.raises(ErrorCurso, match=mensaje) as error:
        corpus.leer_jsonl("sesgo/f.jsonl", lambda f: "a" in f, "{a}")
    # sin el traceback de json detrás del mensaje en español
    assert error.value.__context__ is None or error.value.__suppress_context__


def test_filas_de_sesgo_validan_texto_y_etiqueta(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "carpeta_datos", lambda: tmp_path)
    (tmp_path / "sesgo").mkdir()
    archivo = tmp_path / "sesgo" / "sesgo_genero.jsonl"
    corpus._filas_sesgo.cache_clear()
    try:
        archivo.write_text('{"text": " Ella programa. ", "label": 1}\n{"text": "Él cocina.", "label": 0}\n',
                           encoding="utf-8")
        assert corpus._filas_sesgo() == (("Ella programa.", 1), ("Él cocina.", 0))
        for mala in ('{"text": "x", "label": 2}', '{"text": 3, "label": 0}', '{"text": "x", "label": 0, "y": 1}'):
            corpus._filas_sesgo.cache_clear()
            archivo.write_text(mala + "\n", encoding="utf-8")
            with pytest.raises(ErrorCurso, match=r"La línea 1 de sesgo_genero\.jsonl no tiene la forma "
                                                 r"\{'text': …, 'label': 0 o 1\}\."):
                corpus._filas_sesgo()
    finally:
        corpus._filas_sesgo.cache_clear()


def test_corpus_que_falta_en_la_carpeta_del_paquete_mensaje_completo(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "general.txt").write_text("Pieza número 0.\n---\nPieza número 1.", encoding="utf-8")
    monkeypatch.setattr(corpus, "carpeta_datos", lambda: tmp_path)
    with pytest.raises(RecursoNoDisponible) as error:
        corpus.leer_corpus(estilo=True)
    assert str(error.value) == f"No encuentro el corpus de estilo (recetas.txt) en {tmp_path / 'corpus'}."


def test_corpus_con_una_configuracion_regional_sin_utf8(tmp_path):
    """Con LC_ALL=C y sin forzar UTF-8, el corpus y los JSONL (con tildes y eñes) se leen igual que aquí."""
    import json

    from conftest import ejecutar_sin_utf8

    codigo = ("import json; from curso_llm.corpus import _filas_sesgo, leer_corpus\n"
              "print(json.dumps([leer_corpus(), leer_corpus(estilo=True), _filas_sesgo()], ensure_ascii=True))")
    assert json.loads(ejecutar_sin_utf8(codigo, tmp_path)) == [corpus.leer_corpus(), corpus.leer_corpus(estilo=True),
                                                               [list(f) for f in corpus._filas_sesgo()]]
