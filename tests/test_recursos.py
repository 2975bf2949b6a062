"""Registro de recursos: nombres del curso → Hub o local, con errores claros."""

from __future__ import annotations

import json

import datasets
import pytest

import curso_llm
from curso_llm import recursos
from curso_llm.errores import RecursoDesconocido, RecursoNoDisponible


ESPERADOS_HUB = {
    "gpt2-es": "DeepESP/gpt2-spanish",
    "gpt2": "openai-community/gpt2",
    "bert": "dccuchile/bert-base-spanish-wwm-cased",
}


@pytest.mark.parametrize("nombre,hub_id", ESPERADOS_HUB.items())
def test_en_modo_hub_un_modelo_es_su_repositorio_del_hub(nombre, hub_id):
    # Que ruta_modelo los baja y los carga de verdad lo prueba tests/test_hub.py (copias fieles del Hub).
    assert recursos._buscar(nombre, recursos.MODELOS, "el modelo").hub_id == hub_id
    assert recursos._buscar(nombre.upper(), recursos.MODELOS, "el modelo").hub_id == hub_id  # sin distinguir mayúsculas


def test_conjuntos_del_registro():
    assert recursos.CONJUNTOS["sesgo-genero"].hub_id == "argilla/twitter-genderbias"
    assert recursos.CONJUNTOS["web-es"].hub_id == "HuggingFaceFW/fineweb-2"


def test_nombre_desconocido_lista_los_disponibles(entorno_limpio):
    with pytest.raises(RecursoDesconocido) as error:
        curso_llm.ruta_modelo("gpt5")
    mensaje = str(error.value)
    assert mensaje.startswith("No encuentro el modelo 'gpt5'")
    assert "bert, chat-es, gpt2, gpt2-es" in mensaje


def test_pedir_un_conjunto_como_modelo_da_una_pista(entorno_limpio):
    with pytest.raises(RecursoDesconocido, match=r"pídelo con cargar_conjunto\('sesgo-genero'\)"):
        curso_llm.ruta_modelo("sesgo-genero")
    with pytest.raises(RecursoDesconocido, match=r"pídelo con ruta_modelo\('bert'\)"):
        curso_llm.cargar_conjunto("bert")


def test_nombre_que_no_es_texto(entorno_limpio):
    with pytest.raises(RecursoDesconocido, match="debe ser un texto, no int"):
        curso_llm.ruta_modelo(3)


def test_recurso_local_pendiente_lo_dice_en_espanol(entorno_limpio, monkeypatch):
    """Mientras un recurso local no exista, un error claro: nunca un sustituto silencioso."""
    sin_local = recursos.Recurso("prueba", "modelo", "org/prueba", "—")
    monkeypatch.setitem(recursos.MODELOS, "prueba", sin_local)
    with pytest.raises(RecursoNoDisponible, match="La versión local de 'prueba' todavía no está disponible"):
        curso_llm.ruta_modelo("prueba")


def test_modo_local_usa_la_funcion_local(entorno_limpio, monkeypatch, tmp_path):
    propio = recursos.Recurso("prueba", "modelo", "org/prueba", "—", local=lambda: tmp_path)
    monkeypatch.setitem(recursos.MODELOS, "prueba", propio)
    assert curso_llm.ruta_modelo("prueba") == str(tmp_path)


def _fila_argilla(texto, etiqueta):
    # La forma de argilla/twitter-genderbias (ver su ficha en el Hub).
    return {
        "text": texto,
        "inputs": {"text": texto},
        "prediction": [{"label": etiqueta, "score": 1.0}],
        "prediction_agent": "humano",
        "annotation": None,
        "annotation_agent": None,
        "multi_label": False,
        "explanation": None,
        "id": "x",
        "metadata": None,
        "status": "Default",
        "metrics": {"text_length": len(texto)},
    }


def test_normalizar_sesgo_genero_deja_text_y_label():
    crudo = datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_list(
                [_fila_argilla("  Un tuit neutro ", "non-biased"), _fila_argilla("Otro con sesgo", "biased")]
            )
        }
    )
    limpio = curso_llm.normalizar_sesgo_genero(crudo)
    assert list(limpio) == ["train"]
    assert limpio["train"].column_names == ["text", "label"]
    assert limpio["train"].features["label"].names == ["sin sesgo", "con sesgo"]
    assert limpio["train"]["text"] == ["Un tuit neutro", "Otro con sesgo"]
    assert limpio["train"]["label"] == [0, 1]


def test_normalizar_sesgo_genero_rechaza_etiquetas_raras():
    crudo = datasets.Dataset.from_list([_fila_argilla("hola", "quizás")])
    with pytest.raises(RecursoNoDisponible, match="trae la etiqueta 'quizás'"):
        curso_llm.normalizar_sesgo_genero(crudo)


def test_normalizar_sesgo_genero_pide_las_columnas():
    with pytest.raises(RecursoNoDisponible, match=r"le faltan las columnas \['prediction'\]"):
        curso_llm.normalizar_sesgo_genero(datasets.Dataset.from_dict({"text": ["a"]}))


def test_describir_recursos_menciona_cada_nombre(entorno_limpio, monkeypatch):
    monkeypatch.setenv("CURSO_LLM_MODO", "hub")
    tabla = curso_llm.describir_recursos()
    for nombre in [*recursos.MODELOS, *recursos.CONJUNTOS]:
        assert nombre in tabla
    assert "DeepESP/gpt2-spanish" in tabla


def test_sustituto_local_lo_avisa(entorno_limpio, monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(recursos.MODELOS, "gpt2", recursos.Recurso(
        "gpt2", "modelo", "openai-community/gpt2", "—", local=lambda: tmp_path,
        aviso_local=recursos.MODELOS["gpt2"].aviso_local))
    assert curso_llm.ruta_modelo("gpt2") == str(tmp_path)
    assert "sin red no hay GPT-2 original" in capsys.readouterr().out
