"""Modelos como archivos: guardar y cargar sin cambiar un solo logit, listar y describir la
carpeta, escribir la ficha y subir al Hub solo cuando se puede (y nunca mostrar el token)."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading

import pytest
import torch
import yaml

import curso_llm
from curso_llm.compartir import ArchivoDelModelo, POR_COMPLETAR, comprobar_carpeta_modelo
from curso_llm.errores import ErrorCurso

from conftest import RAIZ

TOKEN_FALSO = "hf_" + "Prueba0Secreta1NoReal2Token3Abc"  # con la forma de un token, sin serlo


def _tokenizador():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(["El gato se sentó en la alfombra.", "La casa tiene una puerta azul."] * 5,
                            trainers.BpeTrainer(vocab_size=300, special_tokens=["<|endoftext|>"], show_progress=False,
                                                initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|endoftext|>")


@pytest.fixture(scope="module")
def gpt():
    """Un GPT-2 diminuto de verdad (pesos al azar con semilla fija) y su tokenizador."""
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    tok = _tokenizador()
    modelo = GPT2LMHeadModel(GPT2Config(vocab_size=len(tok), n_positions=32, n_embd=16, n_layer=2, n_head=2,
                                        bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id)).eval()
    return modelo, tok


@pytest.fixture
def carpeta(gpt, tmp_path):
    modelo, tok = gpt
    destino = tmp_path / "mi-modelo"
    modelo.save_pretrained(destino)
    tok.save_pretrained(destino)
    return destino


def test_guardar_y_cargar_da_logits_identicos(gpt, carpeta):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    modelo, tok = gpt
    de_vuelta = AutoModelForCausalLM.from_pretrained(carpeta, dtype=torch.float32, local_files_only=True).eval()
    tok2 = AutoTokenizer.from_pretrained(carpeta, local_files_only=True)
    textos = ["El gato se sentó", "La casa azul tiene una puerta"]
    tok.pad_token = tok2.pad_token = tok.eos_token
    lote, lote2 = tok(textos, return_tensors="pt", padding=True), tok2(textos, return_tensors="pt", padding=True)
    assert torch.equal(lote["input_ids"], lote2["input_ids"])
    with torch.no_grad():
        assert torch.equal(modelo(**lote).logits, de_vuelta(**lote2).logits)
    # Y si un solo peso cambia, los logits ya no coinciden: la comparación sí distingue.
    with torch.no_grad():
        de_vuelta.transformer.h[0].mlp.c_fc.weight[0, 0] += 1e-3
        assert not torch.equal(modelo(**lote).logits, de_vuelta(**lote2).logits)


def test_listar_archivos_con_tamanos_y_explicacion(carpeta):
    archivos = curso_llm.listar_archivos(carpeta)
    nombres = [a.nombre for a in archivos]
    assert nombres == sorted(p.name for p in carpeta.iterdir())
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"} <= set(nombres)
    for a in archivos:
        assert isinstance(a, ArchivoDelModelo) and a.bytes == (carpeta / a.nombre).stat().st_size
        assert a.que_es and "otro archivo" not in a.que_es
    tabla = curso_llm.tabla_archivos(carpeta)
    total = sum(a.bytes for a in archivos)
    assert tabla.splitlines()[-1].split()[:3] == ["TOTAL", *curso_llm.tamano_legible(total).split()]
    assert "los pesos (parámetros)" in tabla


@pytest.mark.parametrize("n,texto", [(0, "0 B"), (999, "999 B"), (1000, "1,0 kB"), (5_341_104, "5,3 MB"),
                                     (261_499_792, "261,5 MB"), (2_000_000_000, "2,0 GB")])
def test_tamano_legible(n, texto):
    assert curso_llm.tamano_legible(n) == texto


def test_tamano_legible_rechaza_lo_que_no_es_un_tamano():
    with pytest.raises(ErrorCurso, match="número de bytes"):
        curso_llm.tamano_legible(-1)


def test_carpetas_que_no_son_un_modelo(tmp_path, carpeta):
    with pytest.raises(ErrorCurso, match=r"No encuentro la carpeta .*Guarda antes el modelo con"):
        curso_llm.listar_archivos(tmp_path / "no-existe")
    archivo = tmp_path / "suelto.txt"
    archivo.write_text("hola")
    with pytest.raises(ErrorCurso, match=r"es un archivo, no una carpeta"):
        curso_llm.listar_archivos(archivo)
    vacia = tmp_path / "vacia"
    vacia.mkdir()
    with pytest.raises(ErrorCurso, match=r"no es la carpeta de un modelo: le falta config\.json \(la arquitectura\) "
                                         r"y los pesos"):
        curso_llm.datos_del_modelo(vacia)
    (carpeta / "model.safetensors").unlink()
    with pytest.raises(ErrorCurso, match=r"le falta los pesos \(model\.safetensors o pytorch_model\.bin\)\. Guárdalo"):
        curso_llm.escribir_ficha(carpeta, nombre="x", licencia="mit")
    with pytest.raises(ErrorCurso, match="Dame la ruta"):
        comprobar_carpeta_modelo(3)


def test_datos_del_modelo_salen_de_sus_archivos(gpt, carpeta):
    modelo, tok = gpt
    datos = curso_llm.datos_del_modelo(carpeta)
    assert datos["parametros"] == sum(p.numel() for p in modelo.parameters())  # los atados, una vez
    assert datos["tipos_de_pesos"] == {"float32": datos["parametros"]}
    assert (datos["arquitectura"], datos["tipo"], datos["tarea"]) == ("GPT2LMHeadModel", "gpt2", "text-generation")
    assert (datos["capas"], datos["dimension"], datos["cabezas"], datos["contexto"], datos["vocabulario"]) == \
        (2, 16, 2, 32, len(tok))
    assert datos["bytes"] == sum(p.stat().st_size for p in carpeta.iterdir())


def test_datos_de_pesos_en_float16_y_en_formato_antiguo(gpt, tmp_path):
    """Como DeepESP/gpt2-spanish: pesos float16 en pytorch_model.bin, sin safetensors."""
    modelo, _ = gpt
    mitad = tmp_path / "mitad"
    modelo.config.save_pretrained(mitad)
    estado = {k: v.half() for k, v in modelo.state_dict().items() if k != "lm_head.weight"}
    torch.save(estado, mitad / "pytorch_model.bin")
    datos = curso_llm.datos_del_modelo(mitad)
    assert datos["tipos_de_pesos"] == {"float16": sum(v.numel() for v in estado.values())}
    assert datos["parametros"] == sum(p.numel() for p in modelo.parameters())
    assert "formato antiguo" in curso_llm.tabla_archivos(mitad)


def test_datos_de_un_clasificador_con_sus_clases(tmp_path):
    from transformers import BertConfig, BertForSequenceClassification

    config = BertConfig(vocab_size=50, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=16, max_position_embeddings=16,
                        id2label={0: "sin sesgo", 1: "con sesgo"}, label2id={"sin sesgo": 0, "con sesgo": 1})
    BertForSequenceClassification(config).save_pretrained(tmp_path / "clasificador")
    datos = curso_llm.datos_del_modelo(tmp_path / "clasificador")
    assert datos["tarea"] == "text-classification" and datos["etiquetas"] == ["sin sesgo", "con sesgo"]
    ficha = curso_llm.ficha_del_modelo(tmp_path / "clasificador", nombre="detector", licencia="apache-2.0")
    assert "- **Clases:** sin sesgo, con sesgo." in ficha and 'pipeline("text-classification"' in ficha


def _cabecera(ficha: str) -> dict:
    assert ficha.startswith("---\n")
    return yaml.safe_load(ficha.split("---\n")[1])


def test_ficha_del_modelo_con_los_hechos_y_lo_que_cuentas(gpt, carpeta):
    from huggingface_hub import ModelCard

    modelo, _ = gpt
    ficha = curso_llm.ficha_del_modelo(
        carpeta, nombre="mi-gpt", licencia="mit", descripcion="Un GPT-2 diminuto para probar.",
        entrenamiento="No se entrenó: pesos al azar.", datos="Ninguno.", limitaciones="No sabe nada.",
        modelo_base="DeepESP/gpt2-spanish", conjuntos=["argilla/twitter-genderbias"], repo_id="ana/mi-gpt")
    cabecera = _cabecera(ficha)
    assert cabecera == {"base_model": "DeepESP/gpt2-spanish", "datasets": ["argilla/twitter-genderbias"],
                        "language": "es", "library_name": "transformers", "license": "mit",
                        "pipeline_tag": "text-generation", "tags": ["llms-sin-barreras", "gpt2"]}
    parametros = f"{sum(p.numel() for p in modelo.parameters()):,}".replace(",", " ")
    for trozo in ["# mi-gpt", "Un GPT-2 diminuto para probar.", f"- **Parámetros:** {parametros}.",
                  "- **Forma:** 2 capas, dimensión 16, 2 cabezas de atención.", "- **Contexto máximo:** 32 tokens.",
                  "## Cómo se entrenó\n\nNo se entrenó: pesos al azar.", "## Limitaciones y sesgos\n\nNo sabe nada.",
                  'model="ana/mi-gpt"', "## Licencia\n\n`mit`."]:
        assert trozo in ficha, trozo
    assert POR_COMPLETAR not in ficha
    tarjeta = ModelCard(ficha)  # la valida la biblioteca del Hub
    assert tarjeta.data.license == "mit" and tarjeta.data.language == "es"


def test_ficha_envuelve_los_parrafos_largos_y_respeta_las_listas(carpeta):
    larga = " ".join(["Un modelo diminuto que sirve para aprender a publicar modelos."] * 5)
    lista = "- primero\n- segundo, con una línea bastante larga " + "x" * 90
    ficha = curso_llm.ficha_del_modelo(carpeta, nombre="x", licencia="mit", descripcion=larga, datos=lista)
    cuerpo = ficha.split("## Cómo usarlo")[0]
    assert " ".join(cuerpo.split()).count(larga) == 1  # el mismo texto, en varias líneas
    assert all(len(linea) <= 88 for linea in cuerpo.splitlines())
    assert lista in ficha  # las listas no se tocan


def test_ficha_marca_lo_que_falta_y_se_escribe_como_readme(carpeta):
    ruta = curso_llm.escribir_ficha(carpeta, nombre="mi-gpt", licencia="cc-by-sa-4.0")
    assert ruta == carpeta / "README.md"
    texto = ruta.read_text(encoding="utf-8")
    assert texto.count(POR_COMPLETAR) == 4  # descripción, entrenamiento, datos, limitaciones
    assert "base_model" not in _cabecera(texto)
    assert "la ficha del modelo" in curso_llm.tabla_archivos(carpeta)


@pytest.mark.parametrize(
    "kwargs,mensaje",
    [
        ({"nombre": "x", "licencia": ""}, r"Elige una licencia con su identificador del Hub"),
        ({"nombre": "x", "licencia": "MIT License"}, r"Elige una licencia"),
        ({"nombre": " ", "licencia": "mit"}, r"Dale un nombre al modelo"),
        ({"nombre": "x", "licencia": "mit", "modelo_base": "no es un id"}, r"modelo_base debe ser el identificador"),
        ({"nombre": "x", "licencia": "mit", "conjuntos": "argilla/x"}, r"conjuntos debe ser una lista"),
        ({"nombre": "x", "licencia": "mit", "datos": 3}, r"datos debe ser un texto"),
    ],
)
def test_ficha_con_entradas_malas(carpeta, kwargs, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje):
        curso_llm.ficha_del_modelo(carpeta, **kwargs)


# ---------------------------------------------------------------- subir al Hub

class _HubQueRechaza(http.server.BaseHTTPRequestHandler):
    """Un servidor HTTP de verdad que apunta cada petición y contesta 401 a todas."""

    peticiones: list = []

    def _responder(self):
        self.peticiones.append({"ruta": self.path, "metodo": self.command,
                                "autorizacion": self.headers.get("authorization", "")})
        longitud = int(self.headers.get("content-length") or 0)
        if longitud:
            self.rfile.read(longitud)
        cuerpo = json.dumps({"error": "Invalid credentials in Authorization header"}).encode()
        self.send_response(401)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(cuerpo)))
        self.end_headers()
        self.wfile.write(cuerpo)

    do_GET = do_POST = do_PUT = do_HEAD = _responder

    def log_message(self, *args):  # en silencio
        pass


@pytest.fixture
def hub_local():
    _HubQueRechaza.peticiones = []
    servidor = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _HubQueRechaza)
    hilo = threading.Thread(target=servidor.serve_forever, daemon=True)
    hilo.start()
    yield f"http://127.0.0.1:{servidor.server_address[1]}", _HubQueRechaza.peticiones
    servidor.shutdown()
    servidor.server_close()


SUBIR = """
import json, curso_llm
from curso_llm.errores import ErrorCurso
try:
    url = curso_llm.subir_al_hub({carpeta!r}, {repo!r}, pedir={pedir})
    print(json.dumps({{"url": url}}))
except ErrorCurso as error:
    print(json.dumps({{"error": str(error)}}))
"""


def _subir(carpeta, tmp_path, endpoint, repo="ana/mi-gpt", pedir=False, **entorno):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_", "CURSO_LLM_"))}
    env.update({"HF_ENDPOINT": endpoint, "HOME": str(tmp_path), "CURSO_LLM_CACHE": str(tmp_path / "cache"),
                "HF_HUB_DISABLE_TELEMETRY": "1", **entorno})
    proceso = subprocess.run([sys.executable, "-c", SUBIR.format(carpeta=str(carpeta), repo=repo, pedir=pedir)],
                             env=env, capture_output=True, text=True, timeout=120, cwd=RAIZ,
                             stdin=subprocess.DEVNULL)
    assert proceso.returncode == 0, proceso.stderr[-3000:]
    *lineas, ultima = proceso.stdout.strip().splitlines()
    return json.loads(ultima), "\n".join(lineas), proceso.stderr


def test_en_modo_local_no_se_envia_nada_ni_con_token(carpeta, tmp_path, hub_local):
    endpoint, peticiones = hub_local
    curso_llm.escribir_ficha(carpeta, nombre="mi-gpt", licencia="mit")
    resultado, salida, error = _subir(carpeta, tmp_path, endpoint, CURSO_LLM_MODO="local", HF_TOKEN=TOKEN_FALSO)
    assert resultado == {"url": None}
    assert "Estás en modo local: no se envía nada." in salida
    n = len(curso_llm.listar_archivos(carpeta))
    assert f"Se subirían {n} archivos" in salida and "https://huggingface.co/ana/mi-gpt" in salida
    assert "Complétalos antes de publicar" in salida  # la ficha tiene apartados por completar
    assert peticiones == []
    assert TOKEN_FALSO not in salida + error


@pytest.mark.parametrize("pedir", [False, True])
def test_sin_token_lo_dice_y_no_envia_nada(carpeta, tmp_path, hub_local, pedir):
    endpoint, peticiones = hub_local
    resultado, salida, _ = _subir(carpeta, tmp_path, endpoint, repo="mi-gpt", pedir=pedir, CURSO_LLM_MODO="hub")
    assert resultado == {"url": None}
    assert "No encontré un token de Hugging Face" in salida
    assert "Sin token no se envía nada. Se subirían" in salida and "tu-usuario/mi-gpt" in salida
    assert "no tiene ficha (README.md)" in salida
    assert peticiones == []


def test_sin_conexion_no_se_envia_nada(carpeta, tmp_path, hub_local):
    endpoint, peticiones = hub_local
    resultado, salida, error = _subir(carpeta, tmp_path, endpoint, CURSO_LLM_MODO="hub", HF_HUB_OFFLINE="1",
                                      HF_TOKEN=TOKEN_FALSO)
    assert resultado == {"url": None} and "sin conexión (HF_HUB_OFFLINE=1): no se envía nada" in salida
    assert peticiones == [] and TOKEN_FALSO not in salida + error


def test_con_token_llama_al_hub_y_explica_el_rechazo_sin_mostrar_el_token(carpeta, tmp_path, hub_local):
    endpoint, peticiones = hub_local
    resultado, salida, error = _subir(carpeta, tmp_path, endpoint, CURSO_LLM_MODO="hub", HF_TOKEN=TOKEN_FALSO)
    assert "no aceptó tu token (401)" in resultado["error"]
    assert peticiones and peticiones[0]["ruta"] == "/api/repos/create" and peticiones[0]["metodo"] == "POST"
    assert peticiones[0]["autorizacion"] == f"Bearer {TOKEN_FALSO}"  # el token sí viajó, en la cabecera
    assert "Token de Hugging Face listo" in salida
    assert TOKEN_FALSO not in salida + error + resultado["error"]


@pytest.mark.parametrize("repo", ["con espacios/x", "ana/", "a/b/c", "ana/mi--gpt", 7])
def test_nombre_de_repositorio_invalido(carpeta, repo):
    with pytest.raises(ErrorCurso, match=r"no es un nombre de repositorio válido\. Usa 'tu-usuario/nombre-del-modelo'"):
        curso_llm.subir_al_hub(carpeta, repo)


# ---------------------------------------------------------------- la caché del Hub

def test_describir_cache_hub(gpt, tmp_path, monkeypatch):
    from huggingface_hub import constants

    modelo, tok = gpt
    cache = tmp_path / "hub"
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    assert "Todavía no existe" in curso_llm.describir_cache_hub()
    cache.mkdir()
    assert "Está vacía" in curso_llm.describir_cache_hub()
    # Una caché con la forma real: models--org--nombre/{refs/main, snapshots/<commit>/…}.
    commit = "0123456789abcdef0123456789abcdef01234567"
    instantanea = cache / "models--ana--mi-gpt" / "snapshots" / commit
    modelo.save_pretrained(instantanea)
    tok.save_pretrained(instantanea)
    (cache / "models--ana--mi-gpt" / "refs").mkdir()
    (cache / "models--ana--mi-gpt" / "refs" / "main").write_text(commit)
    texto = curso_llm.describir_cache_hub()
    tamano = curso_llm.tamano_legible(sum(p.stat().st_size for p in instantanea.iterdir()))
    assert "1 repositorio," in texto and "ana/mi-gpt" in texto and tamano in texto
