"""El modo hub de ``cargar_conjunto`` y ``ruta_modelo`` en este mismo proceso.

``tests/test_hub.py`` ya comprueba el modo hub de punta a punta en intérpretes nuevos, contra la caché
falsa del Hub de ``tests/hub_falso.py``. Aquí se llama a las mismas funciones en el proceso de pytest
(apuntando ``huggingface_hub`` a esa caché): así la herramienta de mutantes, que solo ve lo que se
ejecuta en su proceso, sabe qué pruebas cubren cada rama. Se comprueban valores concretos, no formas.
"""

from __future__ import annotations

import dataclasses

import datasets
import pytest

import curso_llm
from curso_llm import recursos
from curso_llm.errores import RecursoNoDisponible

from hub_falso import FILAS_SESGO_HUB, construir_cache_hub, filas_sesgo_hub


@pytest.fixture(scope="module")
def cache_conjuntos(tmp_path_factory):
    return construir_cache_hub(tmp_path_factory.mktemp("hub"), solo=("sesgo-genero", "web-es"))


def _en_modo_hub(monkeypatch, cache):
    """Modo hub en este proceso, con la caché falsa y sin red (huggingface_hub ya importado)."""
    import huggingface_hub.constants as constantes

    monkeypatch.setenv("CURSO_LLM_MODO", "hub")
    monkeypatch.setattr(constantes, "HF_HUB_CACHE", str(cache))
    monkeypatch.setattr(constantes, "HF_HUB_OFFLINE", True)
    return cache


@pytest.fixture
def modo_hub(entorno_limpio, monkeypatch, cache_conjuntos):
    return _en_modo_hub(monkeypatch, cache_conjuntos)


def test_sesgo_genero_del_hub_con_sus_etiquetas(modo_hub):
    conjunto = curso_llm.cargar_conjunto("sesgo-genero")
    assert list(conjunto) == ["train"]
    train = conjunto["train"]
    assert train.column_names == ["text", "label"]
    assert train.features["label"].names == ["sin sesgo", "con sesgo"]
    assert train.num_rows == FILAS_SESGO_HUB
    crudas = filas_sesgo_hub()
    # Una fila conocida por su etiqueta del Hub: la primera es «biased» → 1 («con sesgo»).
    assert crudas[0]["prediction"][0]["label"] == "biased"
    assert train[0] == {"text": crudas[0]["text"].strip(), "label": 1}
    assert train.features["label"].int2str(train[0]["label"]) == "con sesgo"
    assert crudas[1]["prediction"][0]["label"] == "non-biased" and train[1]["label"] == 0
    esperadas = [{"biased": 1, "non-biased": 0}[c["prediction"][0]["label"]] for c in crudas]
    assert train["label"] == esperadas


def test_web_es_del_hub_con_validacion_fija(modo_hub):
    conjunto = curso_llm.cargar_conjunto("web-es")
    assert set(conjunto) == {"train", "validation"}
    assert conjunto["train"].column_names == ["text"] == conjunto["validation"].column_names
    assert (conjunto["train"].num_rows, conjunto["validation"].num_rows) == (570, 30)  # 600 filas, 5 %
    otra_vez = curso_llm.cargar_conjunto("web-es")
    assert otra_vez["validation"]["text"] == conjunto["validation"]["text"]  # semilla fija


def test_web_es_lee_solo_las_filas_pedidas_en_orden(modo_hub, monkeypatch):
    from curso_llm.corpus import leer_corpus

    monkeypatch.setitem(recursos.CONJUNTOS, "web-es", dataclasses.replace(recursos.CONJUNTOS["web-es"], filas=250))
    conjunto = curso_llm.cargar_conjunto("web-es")
    textos = list(conjunto["train"]["text"]) + list(conjunto["validation"]["text"])
    assert len(textos) == 250
    assert sorted(textos) == sorted(leer_corpus()["train"][:250])  # las primeras filas del archivo


def test_leer_parquet_cruza_grupos_de_filas(modo_hub):
    carpeta = next(modo_hub.glob("datasets--HuggingFaceFW--fineweb-2/snapshots/*"))
    patron = recursos.CONJUNTOS["web-es"].archivos[0]
    from curso_llm.corpus import leer_corpus

    primeras = leer_corpus()["train"][:600]
    for filas, esperadas in [(None, 600), (1, 1), (100, 100), (101, 101), (250, 250), (10_000, 600)]:
        ds = recursos._leer_parquet(carpeta, patron, filas)
        assert ds.num_rows == esperadas, filas
        assert ds["text"] == primeras[:esperadas]
    with pytest.raises(RecursoNoDisponible, match="no hay filas en archivos 'no/existe/\\*.parquet'"):
        recursos._leer_parquet(carpeta, "no/existe/*.parquet")


def test_recetas_en_hub_siguen_siendo_las_del_curso(modo_hub):
    recetas = curso_llm.cargar_conjunto("recetas")
    assert recetas["train"][0]["text"].startswith("Receta: ")


def test_normalizar_web_respeta_la_validacion_del_hub():
    hub = datasets.DatasetDict({
        "train": datasets.Dataset.from_dict({"text": ["a", "b", "c"], "id": [1, 2, 3]}),
        "validation": datasets.Dataset.from_dict({"text": ["v"], "id": [9]}),
    })
    normalizado = recursos.normalizar_web(hub)
    assert normalizado["train"]["text"] == ["a", "b", "c"] and normalizado["validation"]["text"] == ["v"]
    assert normalizado["train"].column_names == ["text"]


def test_normalizar_sesgo_acepta_mayusculas_y_espacios():
    from test_recursos import _fila_argilla

    crudo = datasets.Dataset.from_list([_fila_argilla(" Uno ", " Biased "), _fila_argilla("Dos", "NON-BIASED")])
    limpio = curso_llm.normalizar_sesgo_genero(crudo)
    assert limpio["text"] == ["Uno", "Dos"] and limpio["label"] == [1, 0]


def test_normalizar_sesgo_sin_prediccion_lo_dice():
    from test_recursos import _fila_argilla

    fila = _fila_argilla("hola", "biased") | {"prediction": []}
    with pytest.raises(RecursoNoDisponible, match="trae la etiqueta None"):
        curso_llm.normalizar_sesgo_genero(datasets.Dataset.from_list([fila]))


def test_sesgo_local_con_etiquetas_conocidas(entorno_limpio):
    """El conjunto local lleva sus etiquetas del archivo: una fila conocida de cada clase."""
    import json

    from curso_llm.corpus import carpeta_datos

    lineas = [json.loads(l) for l in (carpeta_datos() / "sesgo" / "sesgo_genero.jsonl").read_text(
        encoding="utf-8").splitlines() if l.strip()]
    train = curso_llm.cargar_conjunto("sesgo-genero")["train"]
    assert train["label"] == [l["label"] for l in lineas]
    assert train["text"] == [l["text"].strip() for l in lineas]
    con = next(i for i, l in enumerate(lineas) if l["label"] == 1)
    assert train.features["label"].int2str(train[con]["label"]) == "con sesgo"


def test_describir_recursos_en_modo_local(entorno_limpio, monkeypatch):
    tabla = curso_llm.describir_recursos().splitlines()
    assert tabla[0] == "Recursos del curso (modo local):"
    fila = next(f for f in tabla if f.strip().startswith("gpt2-es"))
    assert "propio del curso" in fila and "DeepESP" not in fila
    monkeypatch.setitem(recursos.MODELOS, "prueba", recursos.Recurso("prueba", "modelo", "org/prueba", "—"))
    assert any(f.strip().startswith("prueba") and "pendiente" in f for f in curso_llm.describir_recursos().splitlines())
    monkeypatch.setenv("CURSO_LLM_MODO", "hub")
    recetas = next(f for f in curso_llm.describir_recursos().splitlines() if f.strip().startswith("recetas"))
    assert "propio del curso" in recetas  # solo existe en el curso: también en modo hub


# ---------------------------------------------------------------- ruta_modelo en modo hub, en este proceso

@pytest.fixture(scope="module")
def cache_modelos(tmp_path_factory):
    return construir_cache_hub(tmp_path_factory.mktemp("hub_modelos"), solo=("gpt2-es", "bert"))


@pytest.fixture
def modelos_hub(entorno_limpio, monkeypatch, cache_modelos):
    return _en_modo_hub(monkeypatch, cache_modelos)


def test_ruta_modelo_del_hub_sin_red_es_su_id(modelos_hub):
    """Con los archivos en la caché y el modo sin red pedido, transformers resuelve el id él solo."""
    assert curso_llm.ruta_modelo("gpt2-es") == "DeepESP/gpt2-spanish"
    assert curso_llm.ruta_modelo(" GPT2-ES ") == "DeepESP/gpt2-spanish"


def test_ruta_modelo_bert_del_hub_completado(modelos_hub, entorno_limpio):
    import json
    from pathlib import Path

    ruta = Path(curso_llm.ruta_modelo("bert"))
    assert ruta.parent == entorno_limpio / "cache" / "hub-completados"
    assert ruta.name.startswith("dccuchile--bert-base-spanish-wwm-cased-")
    assert json.loads((ruta / "config.json").read_text(encoding="utf-8"))["model_type"] == "bert"
    assert json.loads((ruta / "tokenizer_config.json").read_text(encoding="utf-8"))["do_lower_case"] is False
    assert (ruta / "vocab.txt").is_symlink()  # los demás archivos, enlazados a la caché del Hub


def test_ruta_modelo_sin_respuesta_del_hub_es_la_carpeta(modelos_hub, monkeypatch):
    """Si el Hub no responde (y no se pidió el modo sin red), la carpeta: transformers no vuelve a esperar."""
    import socket

    import huggingface_hub.constants as constantes

    libre = socket.socket()
    libre.bind(("127.0.0.1", 0))
    puerto = libre.getsockname()[1]
    libre.close()  # nadie escucha: la conexión se rechaza al instante
    monkeypatch.setattr(constantes, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(constantes, "ENDPOINT", f"http://127.0.0.1:{puerto}")
    ruta = curso_llm.ruta_modelo("gpt2-es")
    assert ruta.startswith(str(modelos_hub)) and ruta.endswith(next(
        modelos_hub.glob("models--DeepESP--gpt2-spanish/snapshots/*")).name)


def test_describir_recursos_filas_exactas(entorno_limpio, monkeypatch):
    filas = curso_llm.describir_recursos().splitlines()
    assert filas[1] == ("  gpt2-es       modelo    → propio del curso                         "
                        "GPT-2 entrenado con textos en español (decodificador, genera texto).")
    monkeypatch.setitem(recursos.MODELOS, "prueba", recursos.Recurso("prueba", "modelo", "org/prueba", "Descripción."))
    fila = next(f for f in curso_llm.describir_recursos().splitlines() if f.startswith("  prueba"))
    assert fila == "  prueba        modelo    → pendiente                                Descripción."


def test_recurso_pendiente_mensaje_completo(entorno_limpio, monkeypatch):
    monkeypatch.setitem(recursos.CONJUNTOS, "prueba", recursos.Recurso("prueba", "conjunto", "org/prueba", "—"))
    with pytest.raises(RecursoNoDisponible) as error:
        curso_llm.cargar_conjunto("prueba")
    assert str(error.value) == (
        "La versión local de 'prueba' todavía no está disponible en esta versión del curso. "
        "Usa el modo hub (CURSO_LLM_MODO=hub, con conexión a internet) o actualiza curso_llm.")


# ---------------------------------------------------------------- mensajes y casos que la pasada de mutantes vio sin probar

CONJUNTOS_DEL_CURSO = "instrucciones-es, preferencias-es, recetas, sesgo-genero, web-es"


def test_nombre_que_no_es_texto_mensaje_completo(entorno_limpio):
    with pytest.raises(curso_llm.RecursoDesconocido) as error:
        curso_llm.cargar_conjunto(3)
    assert str(error.value) == ("Pide el conjunto de datos por su nombre: debe ser un texto, no int. "
                                f"Los disponibles son: {CONJUNTOS_DEL_CURSO}.")


def test_conjunto_desconocido_mensaje_completo_sin_pista(entorno_limpio):
    """Un nombre que no es de nada: la lista y punto (la pista solo aparece si es un modelo)."""
    with pytest.raises(curso_llm.RecursoDesconocido) as error:
        curso_llm.cargar_conjunto(" Nada ")
    assert str(error.value) == f"No encuentro el conjunto de datos ' Nada '. Los disponibles son: {CONJUNTOS_DEL_CURSO}."
    with pytest.raises(curso_llm.RecursoDesconocido) as error:
        curso_llm.cargar_conjunto("gpt2-es")
    assert str(error.value).endswith(f"{CONJUNTOS_DEL_CURSO}. 'gpt2-es' es un modelo: pídelo con ruta_modelo('gpt2-es').")


def _parquet(carpeta, nombre, textos, grupo=None):
    import pyarrow as pa
    import pyarrow.parquet as pq

    carpeta.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"text": textos, "n": list(range(len(textos)))}), carpeta / nombre,
                   row_group_size=grupo or len(textos))


def test_leer_parquet_con_mas_de_un_lote_y_de_un_archivo(tmp_path):
    """Lotes de 1000 filas: pedir un número que cae en mitad del segundo lote, justo en su borde o en
    el segundo archivo lee exactamente esas filas, en el orden de los archivos."""
    textos = [f"fila {i:04d}" for i in range(3500)]
    _parquet(tmp_path / "data", "b.parquet", textos[2500:])  # el orden es el de los nombres, no el de escritura
    _parquet(tmp_path / "data", "a.parquet", textos[:2500], grupo=700)
    for filas in (None, 999, 1000, 1500, 2000, 2500, 2600, 10_000):
        ds = recursos._leer_parquet(tmp_path, "data/*.parquet", filas)
        esperadas = textos if filas is None else textos[:filas]
        assert ds["text"] == esperadas, filas
        assert ds.column_names == ["text", "n"]


def test_leer_parquet_sin_filas_mensaje_completo(tmp_path):
    with pytest.raises(RecursoNoDisponible) as error:
        recursos._leer_parquet(tmp_path, "data/*.parquet")
    assert str(error.value) == (
        f"En {tmp_path} no hay filas en archivos 'data/*.parquet': la descarga está incompleta o el conjunto "
        "cambió. Borra esa carpeta de la caché del Hub y vuelve a ejecutar, o usa CURSO_LLM_MODO=local.")


def test_normalizar_web_separa_siempre_la_misma_validacion():
    """La semilla de la partición está fijada: estas cinco filas (de cien) van a validación."""
    crudo = datasets.Dataset.from_dict({"text": [f"t{i:03d}" for i in range(100)], "id": list(range(100))})
    normalizado = recursos.normalizar_web(crudo)
    assert normalizado["validation"]["text"] == ["t059", "t021", "t056", "t018", "t033"]
    assert normalizado["train"].num_rows == 95 and normalizado["train"].column_names == ["text"]


def test_normalizar_sesgo_etiqueta_desconocida_mensaje_completo():
    from test_recursos import _fila_argilla

    with pytest.raises(RecursoNoDisponible) as error:
        curso_llm.normalizar_sesgo_genero(datasets.Dataset.from_list([_fila_argilla("hola", "neutral")]))
    assert str(error.value) == (
        "Una fila de sesgo-genero trae la etiqueta 'neutral', y solo sé leer ['biased', 'non-biased']. "
        "¿Cambió el conjunto en el Hub? Avísanos en el repositorio del curso.")
