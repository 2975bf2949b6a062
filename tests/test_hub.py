"""El modo hub de verdad, sin red: contra copias fieles de los repositorios (tests/hub_falso.py)
y contra un Hub que no responde."""

from __future__ import annotations

import contextlib
import json
import socket

import pytest

from conftest import ejecutar_python
from servidor_mudo import ServidorMudo
from hub_falso import ESPECIALES_DEEPESP, FILAS_SESGO_HUB, VOCAB_BETO, construir_cache_hub, entorno_hub


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    return construir_cache_hub(tmp_path_factory.mktemp("hub"))


def _en_hub(codigo, cache, tmp_path, **extra):
    entorno = entorno_hub(cache) | {"CURSO_LLM_CACHE": str(tmp_path / "curso"),
                                    "HF_DATASETS_CACHE": str(tmp_path / "datasets")} | extra
    salida = ejecutar_python(codigo, entorno, timeout=300)
    assert salida.returncode == 0, salida.stderr[-3000:]
    return json.loads(salida.stdout.strip().splitlines()[-1])


GPT2_ES = """
import json, torch, curso_llm
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline
nombre = curso_llm.ruta_modelo("gpt2-es")
auto = AutoModelForCausalLM.from_pretrained(nombre)
f32 = AutoModelForCausalLM.from_pretrained(nombre, dtype=torch.float32)
tok = AutoTokenizer.from_pretrained(nombre)
torch.linalg.svd(f32.transformer.wte.weight[:50])   # lo que hace el capítulo 2 con los embeddings
texto = pipeline("text-generation", model=nombre)("El gato", max_new_tokens=3, do_sample=False)
print(json.dumps({"nombre": nombre, "dtype_auto": str(auto.dtype), "dtype": str(f32.dtype),
                  "especiales": tok.all_special_tokens, "vocab": len(tok), "rapido": tok.is_fast,
                  "atados": f32.lm_head.weight.data_ptr() == f32.transformer.wte.weight.data_ptr(),
                  "texto": texto[0]["generated_text"]}))
"""


def test_gpt2_es_como_en_el_hub_float16_y_once_especiales(hub, tmp_path):
    datos = _en_hub(GPT2_ES, hub, tmp_path)
    assert datos["nombre"] == "DeepESP/gpt2-spanish"
    assert datos["dtype_auto"] == "torch.float16"  # así lo guarda el Hub; transformers 5 lo respeta
    assert datos["dtype"] == "torch.float32"
    assert sorted(datos["especiales"]) == sorted(ESPECIALES_DEEPESP)
    assert datos["vocab"] == 50257 and datos["atados"]
    assert datos["texto"].startswith("El gato")


BETO = """
import json, curso_llm
from transformers import AutoModelForMaskedLM, AutoModelForSequenceClassification, AutoTokenizer, pipeline
nombre = curso_llm.ruta_modelo("bert")
tok = AutoTokenizer.from_pretrained(nombre)
mlm = AutoModelForMaskedLM.from_pretrained(nombre)
clf = AutoModelForSequenceClassification.from_pretrained(nombre, num_labels=2)
relleno = pipeline("fill-mask", model=nombre)(f"La casa es {tok.mask_token}.")
print(json.dumps({"nombre": nombre, "clase": type(mlm).__name__, "clf": type(clf).__name__,
                  "piezas": tok.tokenize("Madrid"), "vocab": len(tok), "mascara": tok.mask_token,
                  "propuestas": len(relleno)}))
"""


@pytest.mark.parametrize("variante", ["sin_model_type", "con_model_type"])
def test_beto_con_o_sin_model_type_y_con_mayusculas(tmp_path, variante):
    cache = construir_cache_hub(tmp_path / "hub", beto=variante, solo=("bert",))
    datos = _en_hub(BETO, cache, tmp_path)
    assert datos["clase"] == "BertForMaskedLM" and datos["clf"] == "BertForSequenceClassification"
    assert datos["vocab"] == VOCAB_BETO and datos["mascara"] == "[MASK]"
    assert datos["piezas"][0][0] == "M", datos["piezas"]  # modelo con mayúsculas: no las pierde
    assert datos["propuestas"] == 5
    # Sin model_type ni do_lower_case en el Hub, el curso usa una copia completada (y lo dice la ruta).
    assert ("hub-completados" in datos["nombre"]) is True  # falta do_lower_case en ambas variantes


CONJUNTOS = """
import json, curso_llm
s = curso_llm.cargar_conjunto("sesgo-genero")
w = curso_llm.cargar_conjunto("web-es")
t = s["train"]
print(json.dumps({"partes": list(s), "columnas": t.column_names, "filas": t.num_rows,
                  "nombres": t.features["label"].names, "filas_vistas": [t[i] for i in range(10)],
                  "web": {k: v.num_rows for k, v in w.items()}, "web_cols": w["train"].column_names}))
"""


def test_conjuntos_del_hub_normalizados(hub, tmp_path):
    from hub_falso import filas_sesgo_hub

    datos = _en_hub(CONJUNTOS, hub, tmp_path)
    assert datos["partes"] == ["train"] and datos["columnas"] == ["text", "label"]
    assert datos["filas"] == FILAS_SESGO_HUB
    assert datos["nombres"] == ["sin sesgo", "con sesgo"]
    crudas = filas_sesgo_hub()[:10]
    # Filas conocidas, comprobadas por su etiqueta del Hub: «biased» → 1 (con sesgo), «non-biased» → 0.
    assert {c["prediction"][0]["label"] for c in crudas} == {"biased", "non-biased"}
    for cruda, vista in zip(crudas, datos["filas_vistas"]):
        esperada = {"biased": 1, "non-biased": 0}[cruda["prediction"][0]["label"]]
        assert vista == {"text": cruda["text"].strip(), "label": esperada}
    assert set(datos["web"]) == {"train", "validation"} and datos["web_cols"] == ["text"]
    assert sum(datos["web"].values()) == 600  # las filas del archivo (menos que el tope FILAS_WEB)


def test_web_es_lee_solo_las_primeras_filas(hub, tmp_path):
    codigo = """
import json, dataclasses, curso_llm
from curso_llm import recursos
recursos.CONJUNTOS["web-es"] = dataclasses.replace(recursos.CONJUNTOS["web-es"], filas=150)
w = curso_llm.cargar_conjunto("web-es")
print(json.dumps({k: v.num_rows for k, v in w.items()}))
"""
    assert sum(_en_hub(codigo, hub, tmp_path).values()) == 150


@contextlib.contextmanager
def _agujero():
    """Un «Hub» en la red local que acepta conexiones y nunca responde; da su URL."""
    with ServidorMudo() as mudo:
        yield mudo.url


def _puerto_cerrado():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    puerto = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{puerto}"


FALLO = """
import json, time, curso_llm
from curso_llm.errores import HubNoDisponible
resultado = {}
for que, llamada in [("modelo", lambda: curso_llm.ruta_modelo("gpt2-es")),
                     ("conjunto", lambda: curso_llm.cargar_conjunto("sesgo-genero"))]:
    inicio = time.perf_counter()
    try:
        llamada()
        resultado[que] = ["sin error", 0]
    except HubNoDisponible as error:
        resultado[que] = [str(error), time.perf_counter() - inicio]
print(json.dumps(resultado))
"""


@pytest.mark.parametrize("servidor", ["no responde", "rechaza la conexión"])
def test_sin_hub_error_en_espanol_en_segundos(tmp_path, servidor):
    with (_agujero() if servidor == "no responde" else contextlib.nullcontext(_puerto_cerrado())) as url:
        entorno = {"CURSO_LLM_MODO": "hub", "HF_ENDPOINT": url, "HF_HUB_CACHE": str(tmp_path / "vacia"),
                   "CURSO_LLM_CACHE": str(tmp_path / "curso")}
        salida = ejecutar_python(FALLO, entorno, timeout=120)
    assert salida.returncode == 0, salida.stderr[-3000:]
    for que, (mensaje, segundos) in json.loads(salida.stdout.strip().splitlines()[-1]).items():
        assert mensaje.startswith("No pude conectar con el Hugging Face Hub"), mensaje
        assert "CURSO_LLM_MODO=local" in mensaje
        assert segundos < 10, f"{que}: {segundos:.1f} s"  # sin colgarse en reintentos


def test_sin_red_pero_en_cache_usa_la_carpeta(hub, tmp_path):
    """Si el Hub no responde pero los archivos están en la caché, el curso sigue, sin esperar otra vez."""
    with _agujero() as url:
        entorno = {"CURSO_LLM_MODO": "hub", "HF_ENDPOINT": url, "HF_HUB_CACHE": str(hub),
                   "CURSO_LLM_CACHE": str(tmp_path / "curso")}
        codigo = ("import json, time, curso_llm\nfrom transformers import AutoTokenizer\n"
                  "t = time.perf_counter(); r = curso_llm.ruta_modelo('gpt2-es'); AutoTokenizer.from_pretrained(r)\n"
                  "print(json.dumps([r, time.perf_counter() - t]))")
        salida = ejecutar_python(codigo, entorno, timeout=120)
    assert salida.returncode == 0, salida.stderr[-3000:]
    ruta, segundos = json.loads(salida.stdout.strip().splitlines()[-1])
    assert ruta.startswith(str(hub)) and segundos < 10


CAMBIO = """
import json, os, curso_llm
from curso_llm.modo import aplicar_modo
import huggingface_hub.constants as c
antes = (os.environ.get("HF_HUB_OFFLINE"), c.HF_HUB_OFFLINE)
aplicar_modo("hub")
print(json.dumps({"antes": antes, "despues": [os.environ.get(v) for v in
                  ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE")], "constante": c.HF_HUB_OFFLINE}))
"""


def test_de_local_a_hub_en_el_mismo_proceso_quita_el_modo_sin_red(tmp_path):
    salida = ejecutar_python(CAMBIO, {"CURSO_LLM_MODO": "local", "CURSO_LLM_CACHE": str(tmp_path)})
    datos = json.loads(salida.stdout.strip().splitlines()[-1])
    assert datos["antes"] == ["1", True]
    assert datos["despues"] == [None, None, None] and datos["constante"] is False


def test_de_local_a_hub_respeta_el_modo_sin_red_que_fijaste_tu(tmp_path):
    salida = ejecutar_python(CAMBIO, {"CURSO_LLM_MODO": "local", "HF_HUB_OFFLINE": "1", "CURSO_LLM_CACHE": str(tmp_path)})
    datos = json.loads(salida.stdout.strip().splitlines()[-1])
    assert datos["despues"][0] == "1" and datos["constante"] is True
