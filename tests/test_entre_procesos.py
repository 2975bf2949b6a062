"""Lo que tiene que dar lo mismo en cada proceso: clave de caché, partición del corpus y pesos entrenados.

Una prueba que compara una función consigo misma dentro de un solo proceso no ve los errores que
cambian de un proceso a otro (``hash()`` de Python, por ejemplo, cambia con ``PYTHONHASHSEED``).
Aquí cada valor se calcula en este proceso y en dos intérpretes nuevos con semillas de hash
distintas, y donde el valor no depende de la máquina, queda fijado.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from curso_llm import cache_modelos, corpus
from curso_llm import modelos_locales as ml

from conftest import ejecutar_python
from test_modelos_locales import BERT_DIMINUTO, GPT_DIMINUTO, corpus_chico  # noqa: F401 (fixture)

SEMILLAS_DE_HASH = ("1", "2")


def _en_dos_interpretes(codigo: str, **entorno) -> list:
    """La última línea (JSON) de ``codigo`` ejecutado en dos intérpretes con ``PYTHONHASHSEED`` distinto."""
    resultados = []
    for semilla in SEMILLAS_DE_HASH:
        salida = ejecutar_python(codigo, {"PYTHONHASHSEED": semilla, "CURSO_LLM_MODO": "local", **entorno},
                                 timeout=300)
        assert salida.returncode == 0, salida.stderr[-3000:]
        resultados.append(json.loads(salida.stdout.strip().splitlines()[-1]))
    return resultados


# ---------------------------------------------------------------- clave de caché

CLAVES = """
import json
from curso_llm import modelos_locales as ml
from curso_llm.corpus import huella_corpus
print(json.dumps([huella_corpus(), ml.huella(ml.ConfigGPT(), huella_corpus()), ml.huella(ml.ConfigBERT(), huella_corpus())]))
"""


def test_clave_de_cache_igual_en_otros_interpretes(tmp_path):
    """Si la clave cambiara entre procesos, los modelos se volverían a entrenar en cada sesión."""
    aqui = [corpus.huella_corpus(), ml.huella(ml.ConfigGPT(), corpus.huella_corpus()),
            ml.huella(ml.ConfigBERT(), corpus.huella_corpus())]
    assert _en_dos_interpretes(CLAVES, CURSO_LLM_CACHE=str(tmp_path)) == [aqui, aqui]


#: Versiones con las que se fijaron las claves de abajo (la clave real usa las instaladas).
VERSIONES_FIJAS = {"torch": "2.13.0", "transformers": "5.23.0", "tokenizers": "0.23.3"}


def test_clave_de_cache_fijada(monkeypatch):
    """La clave de unos datos fijos no cambia. Si cambias a propósito cómo se calcula, todas las cachés
    se vuelven a entrenar (5 min por lector): actualiza estos valores sabiéndolo."""
    monkeypatch.setattr(cache_modelos, "_versiones", lambda: dict(VERSIONES_FIJAS))
    assert ml.VERSION_RECETA == 4, "cambió la receta: actualiza también las claves fijadas aquí"
    assert ml.huella(ml.ConfigGPT(), "0123456789abcdef") == "266e45854bf8"
    assert ml.huella(ml.ConfigBERT(), "0123456789abcdef") == "07ff9e90b116"


def test_clave_de_cache_cambia_con_cada_ingrediente(monkeypatch):
    monkeypatch.setattr(cache_modelos, "_versiones", lambda: dict(VERSIONES_FIJAS))
    base = ml.huella(ml.ConfigGPT(), "corpus")
    distintas = {
        "corpus": ml.huella(ml.ConfigGPT(), "otro corpus"),
        "config": ml.huella(ml.ConfigGPT(pasos=1101), "corpus"),
    }
    monkeypatch.setattr(cache_modelos, "VERSION_RECETA", cache_modelos.VERSION_RECETA + 1)
    distintas["receta"] = ml.huella(ml.ConfigGPT(), "corpus")
    monkeypatch.undo()
    monkeypatch.setattr(cache_modelos, "_versiones", lambda: {**VERSIONES_FIJAS, "torch": "2.14.0"})
    distintas["versiones"] = ml.huella(ml.ConfigGPT(), "corpus")
    for ingrediente, clave in distintas.items():
        assert clave != base, f"la clave no cambia con {ingrediente}"
        assert len(clave) == len(base) == 12


def test_versiones_de_la_clave_son_las_instaladas():
    from importlib import metadata

    assert ml._versiones() == {p: metadata.version(p) for p in ("torch", "transformers", "tokenizers")}


# ---------------------------------------------------------------- partición del corpus

PARTICION = """
import hashlib, json
from curso_llm.corpus import leer_corpus
for estilo in (False, True):
    partes = leer_corpus(estilo=estilo)
    print(json.dumps({p: hashlib.sha256(json.dumps(v).encode()).hexdigest() for p, v in partes.items()}))
"""


def _resumen(partes: dict[str, list[str]]) -> dict[str, str]:
    return {p: hashlib.sha256(json.dumps(v).encode()).hexdigest() for p, v in partes.items()}


def test_particion_igual_en_otros_interpretes():
    """Los modelos en caché se entrenaron en otro proceso: su validación debe ser la de ahora."""
    generales = []
    for semilla in SEMILLAS_DE_HASH:
        salida = ejecutar_python(PARTICION, {"PYTHONHASHSEED": semilla, "CURSO_LLM_MODO": "local"})
        assert salida.returncode == 0, salida.stderr[-3000:]
        general, estilo = [json.loads(linea) for linea in salida.stdout.strip().splitlines()[-2:]]
        assert estilo == _resumen(corpus.leer_corpus(estilo=True))
        generales.append(general)
    assert generales == [_resumen(corpus.leer_corpus())] * 2


def test_particion_fijada(tmp_path):
    """La partición depende solo del texto de cada pieza: fijada para piezas conocidas.

    Si cambias la regla, los modelos en caché se entrenaron con otra partición (texto que ahora es de
    validación): sube ``VERSION_RECETA`` para invalidarlos y actualiza esta lista.
    """
    piezas = [f"Pieza número {i}." for i in range(60)]
    (tmp_path / "general.txt").write_text("\n---\n".join(piezas), encoding="utf-8")
    partes = corpus.leer_corpus(carpeta=tmp_path)
    assert [piezas.index(p) for p in partes["validation"]] == [1, 11, 16, 20]
    assert partes["train"] == [p for i, p in enumerate(piezas) if i not in (1, 11, 16, 20)]
    assert corpus.parte_de("Pieza número 1.") == "validation" and corpus.parte_de("Pieza número 0.") == "train"


def test_el_corpus_del_paquete_reparte_uno_de_cada_diez():
    partes = corpus.leer_corpus()
    total = len(partes["train"]) + len(partes["validation"])
    assert all(corpus.parte_de(p) == "validation" for p in partes["validation"])
    assert all(corpus.parte_de(p) == "train" for p in partes["train"])
    assert 0.07 < len(partes["validation"]) / total < 0.13


# ---------------------------------------------------------------- modelos de la caché

CARPETAS = """
import json
from curso_llm import modelos_locales as ml
from curso_llm.corpus import huella_corpus
from curso_llm.modo import carpeta_cache
base = carpeta_cache() / "modelos"
carpetas = {n: base / f"{n}-{ml.huella(c, huella_corpus())}" for n, c in (("gpt2-es", ml.ConfigGPT()), ("bert", ml.ConfigBERT()))}
from curso_llm.cache_modelos import _carpeta_lista
print(json.dumps({n: [str(c), _carpeta_lista(c)] for n, c in carpetas.items()}))
"""


def test_el_otro_interprete_usa_la_misma_cache_del_curso(monkeypatch, tmp_path):
    """Con CURSO_LLM_CACHE fijada (el README la ofrece), el intérprete nuevo busca en esa carpeta, no en
    ~/.cache/curso_llm; el modo, en cambio, solo lo fija la prueba."""
    monkeypatch.setenv("CURSO_LLM_CACHE", str(tmp_path / "mi-cache"))
    monkeypatch.setenv("CURSO_LLM_MODO", "hub")
    salida = ejecutar_python("import json, os\nfrom curso_llm.modo import carpeta_cache\n"
                             "print(json.dumps([str(carpeta_cache()), os.environ.get('CURSO_LLM_MODO')]))", {})
    assert salida.returncode == 0, salida.stderr[-2000:]
    assert json.loads(salida.stdout.strip().splitlines()[-1]) == [str(tmp_path / "mi-cache"), None]


def test_los_modelos_entrenados_se_encuentran_desde_otro_interprete():
    """`make recursos` entrenó los modelos en otro proceso: uno nuevo debe dar con ellos, sin entrenar."""
    from curso_llm.modo import carpeta_cache

    base = carpeta_cache() / "modelos"
    entrenados = {n for n in ("gpt2-es", "bert") if base.is_dir() and any(
        c.name.startswith(f"{n}-") and ".tmp" not in c.name for c in base.iterdir())}
    if entrenados != {"gpt2-es", "bert"}:
        pytest.skip("la caché del curso aún no tiene los dos modelos (make recursos los entrena)")
    for resultado in _en_dos_interpretes(CARPETAS):
        for nombre, (carpeta, lista) in resultado.items():
            assert lista, f"{nombre}: otro intérprete busca {carpeta}, que no está: se volvería a entrenar"


# ---------------------------------------------------------------- pesos entrenados

def _huella_de_pesos(modelo, tok) -> dict:
    """Unos pesos concretos (valores exactos), la suma de todos y el vocabulario."""
    estado = modelo.state_dict()
    nombres = sorted(estado)
    return {
        "vocabulario": hashlib.sha256(json.dumps(sorted(tok.get_vocab().items())).encode()).hexdigest(),
        "primeros": {n: estado[n].flatten()[:4].tolist() for n in nombres[:3] + nombres[-3:]},
        "sumas": {n: float(estado[n].double().sum()) for n in nombres},
    }


ENTRENAR = """
import hashlib, json, sys
from curso_llm import modelos_locales as ml
from curso_llm.corpus import leer_corpus
from pathlib import Path
partes = leer_corpus(carpeta=Path({carpeta!r}))
resultado = {{}}
for nombre, entrenar, config in (("gpt", ml.entrenar_gpt, ml.ConfigGPT(**{gpt})), ("bert", ml.entrenar_bert, ml.ConfigBERT(**{bert}))):
    modelo, tok, metricas = entrenar(config, partes["train"], partes["validation"], progreso=False)
    estado = modelo.state_dict()
    nombres = sorted(estado)
    resultado[nombre] = {{
        "vocabulario": hashlib.sha256(json.dumps(sorted(tok.get_vocab().items())).encode()).hexdigest(),
        "primeros": {{n: estado[n].flatten()[:4].tolist() for n in nombres[:3] + nombres[-3:]}},
        "sumas": {{n: float(estado[n].double().sum()) for n in nombres}},
        "curva": metricas["curva_perdida"],
    }}
print(json.dumps(resultado))
"""


def test_pesos_entrenados_iguales_en_otros_interpretes(corpus_chico):  # noqa: F811
    """Misma semilla, mismo corpus: mismos pesos (bit a bit) en este proceso y en dos nuevos."""
    aqui = {}
    partes = corpus.leer_corpus(carpeta=corpus_chico)
    for nombre, entrenar, config in (("gpt", ml.entrenar_gpt, GPT_DIMINUTO), ("bert", ml.entrenar_bert, BERT_DIMINUTO)):
        modelo, tok, metricas = entrenar(config, partes["train"], partes["validation"], progreso=False)
        aqui[nombre] = _huella_de_pesos(modelo, tok) | {"curva": metricas["curva_perdida"]}
    codigo = ENTRENAR.format(carpeta=str(corpus_chico), gpt=GPT_DIMINUTO.__dict__, bert=BERT_DIMINUTO.__dict__)
    otros = _en_dos_interpretes(codigo)
    for otro in otros:
        for nombre in ("gpt", "bert"):
            assert otro[nombre]["vocabulario"] == aqui[nombre]["vocabulario"], f"{nombre}: otro vocabulario"
            assert otro[nombre]["primeros"] == aqui[nombre]["primeros"], f"{nombre}: otros pesos"
            assert otro[nombre]["sumas"] == aqui[nombre]["sumas"], f"{nombre}: otros pesos"
            assert otro[nombre]["curva"] == aqui[nombre]["curva"], f"{nombre}: otra curva de pérdida"
