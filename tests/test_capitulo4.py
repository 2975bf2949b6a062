"""Capítulo 4: lo que la página enseña, comprobado con objetos reales.

- La pérdida causal calculada a mano (etiquetas desplazadas y entropía cruzada) es la del modelo.
- Entrenar baja la pérdida de validación por debajo de la del modelo sin entrenar.
- Las líneas base n-grama del capítulo son las que informa ``bench/`` para la misma partición.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch
from transformers import GPT2Config, GPT2LMHeadModel

from curso_llm import modelos_locales as ml
from curso_llm.entrenamiento import flujo_de_ids, perdida_validacion_gpt

BENCH = Path(__file__).resolve().parent.parent / "bench" / "resultados.json"


def perdida_a_mano(logits, x, desplazar: bool = True):
    """La misma cuenta que la celda del capítulo: -ln p(token siguiente), promediada."""
    if desplazar:
        logits, objetivo = logits[:, :-1, :], x[:, 1:]
    else:
        objetivo = x
    log_probs = torch.log_softmax(logits, dim=-1)
    return -log_probs.gather(-1, objetivo.unsqueeze(-1)).mean()


def _gpt(vocabulario=97, contexto=16, semilla=0):
    torch.manual_seed(semilla)
    modelo = GPT2LMHeadModel(GPT2Config(vocab_size=vocabulario, n_positions=contexto, n_embd=32, n_layer=2,
                                        n_head=2, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0))
    modelo.loss_type = "ForCausalLM"
    return modelo.eval()


def test_la_perdida_a_mano_es_la_del_modelo():
    modelo = _gpt()
    # Con pesos al azar la pérdida está cerca de ln V para cualquier cuenta: se entrena un poco
    # para que una cuenta equivocada (sin desplazar) dé un número claramente distinto.
    x = torch.randint(0, 97, (4, 16), generator=torch.Generator().manual_seed(1))
    opt = torch.optim.AdamW(modelo.parameters(), lr=1e-2)
    for _ in range(30):
        modelo(input_ids=x, labels=x).loss.backward()
        opt.step()
        opt.zero_grad()
    with torch.no_grad():
        salida = modelo(input_ids=x, labels=x)
    assert torch.allclose(perdida_a_mano(salida.logits, x), salida.loss, atol=1e-5)
    # La prueba distingue: sin desplazar las etiquetas, la cuenta no coincide.
    assert abs(perdida_a_mano(salida.logits, x, desplazar=False).item() - salida.loss.item()) > 0.1


def test_sin_entrenar_la_perdida_ronda_ln_del_vocabulario():
    modelo = _gpt(vocabulario=4096, contexto=32)
    x = torch.randint(0, 4096, (4, 32), generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        perdida = modelo(input_ids=x, labels=x).loss.item()
    assert abs(perdida - math.log(4096)) < 0.1


def test_entrenar_baja_la_validacion_por_debajo_del_modelo_sin_entrenar():
    from curso_llm.corpus import leer_corpus

    partes = leer_corpus()
    train, val = partes["train"][:60], partes["validation"][:10]
    config = ml.ConfigGPT(vocabulario=400, contexto=32, capas=1, dim=32, cabezas=2, lote=8, pasos=80,
                          calentamiento=5, tasa=1e-2)
    modelo, tok, metricas = ml.entrenar_gpt(config, train, val, progreso=False)
    flujo_val = flujo_de_ids(tok, val)
    torch.manual_seed(config.semilla)
    sin_entrenar = GPT2LMHeadModel(modelo.config)
    sin_entrenar.loss_type = "ForCausalLM"
    antes = perdida_validacion_gpt(sin_entrenar, flujo_val, config.contexto)
    despues = perdida_validacion_gpt(modelo, flujo_val, config.contexto)
    assert despues == pytest.approx(metricas["perdida_validacion"])
    assert antes > math.log(len(tok)) - 0.2
    assert despues < antes - 1.0


@pytest.fixture(scope="module")
def ids_del_corpus():
    """Mismo camino que ``bench/medir.py``: BPE de 4 096 con el corpus de entrenamiento, flujo con fin."""
    from curso_llm.corpus import leer_corpus

    partes = leer_corpus()
    tok = ml.entrenar_tokenizador_bpe(partes["train"], ml.ConfigGPT().vocabulario, ml.ConfigGPT().contexto)
    return flujo_de_ids(tok, partes["train"]).tolist(), flujo_de_ids(tok, partes["validation"]).tolist(), len(tok)


@pytest.mark.parametrize("clave,orden", [("perplejidad_unigrama", 1), ("perplejidad_kn_bigrama", 2),
                                         ("perplejidad_kn_trigrama", 3)])
def test_lineas_base_iguales_a_las_de_bench(ids_del_corpus, clave, orden):
    from curso_llm.ngramas import KneserNey, perplejidad_unigrama

    bench = json.loads(BENCH.read_text(encoding="utf-8"))["gpt"]
    train, val, vocabulario = ids_del_corpus
    assert (len(train), len(val)) == (bench["tokens_entrenamiento"], bench["tokens_validacion"])
    if orden == 1:
        ppl = perplejidad_unigrama(train, val, vocabulario)
    else:
        ppl = KneserNey(train, orden, vocabulario).perplejidad(val)
    assert round(ppl, 2) == bench[clave]



def test_el_gancho_tras_el_paso_no_cambia_lo_que_se_entrena():
    """bench/hasta_el_trigrama.py mide la validación dentro del bucle de preparar: mismos pesos."""
    from curso_llm.entrenamiento import _bucle, _lotes_aleatorios

    config = ml.ConfigGPT(vocabulario=300, contexto=16, capas=1, dim=32, cabezas=2, lote=4, pasos=12, calentamiento=2)
    flujo = torch.randint(0, 97, (2000,), generator=torch.Generator().manual_seed(3))

    def entrenar(con_gancho):
        modelo = _gpt(contexto=16, semilla=5)
        generador = torch.Generator().manual_seed(0)
        llamadas = []

        def perdida_del_paso():
            x = _lotes_aleatorios(flujo, 16, config.lote, generador)
            return modelo(input_ids=x, labels=x).loss

        def gancho(pasos, segundos):
            llamadas.append((pasos, segundos))
            perdida_validacion_gpt(modelo, flujo[:500], 16)

        metricas = _bucle(modelo, config, perdida_del_paso, "prueba", False, gancho if con_gancho else None)
        return modelo, metricas, llamadas

    modelo_sin, metricas_sin, _ = entrenar(False)
    modelo_con, metricas_con, llamadas = entrenar(True)
    assert [p for p, _ in llamadas] == list(range(1, 13))
    assert all(a < b for (_, a), (_, b) in zip(llamadas, llamadas[1:]))
    assert metricas_con["curva_perdida"] == metricas_sin["curva_perdida"]
    for (n, a), (_, b) in zip(modelo_sin.state_dict().items(), modelo_con.state_dict().items()):
        assert torch.equal(a, b), n
