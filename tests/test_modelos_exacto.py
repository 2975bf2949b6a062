"""Piezas del entrenamiento de los modelos locales, con valores que la prueba escribe.

Calendario de la tasa, grupos del optimizador, ventanas, lotes, enmascarado y la carpeta de la caché
(nombre, marca, temporales). Las encontró la prueba de mutación (bench/MUTANTES.md): cambiar un
``<`` o un número en estas funciones no hacía fallar nada.
"""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import pytest
import torch

from curso_llm import cache_modelos
from curso_llm import corpus as corpus_mod
from curso_llm import modelos_locales as ml

from test_modelos_locales import BERT_DIMINUTO, GPT_DIMINUTO, _textos, corpus_chico  # noqa: F401 (fixture)


def test_calendario_de_la_tasa():
    """Calentamiento lineal hasta la tasa y luego coseno hasta el 10 %."""
    config = SimpleNamespace(tasa=1.0, calentamiento=4, pasos=14)
    valores = [ml._tasa(paso, config) for paso in range(15)]
    assert valores[:5] == [0.25, 0.5, 0.75, 1.0, 1.0]
    assert valores[9] == pytest.approx(0.55)  # mitad del coseno: 0,1 + 0,9 × 0,5
    assert valores[14] == pytest.approx(0.1)
    assert all(a >= b for a, b in zip(valores[3:], valores[4:]))  # después del calentamiento, solo baja
    sin_calentar = SimpleNamespace(tasa=2.0, calentamiento=0, pasos=0)
    assert ml._tasa(0, sin_calentar) == pytest.approx(2.0)  # sin división por cero


def test_grupos_del_optimizador():
    from transformers import GPT2Config, GPT2LMHeadModel

    modelo = GPT2LMHeadModel(GPT2Config(vocab_size=50, n_positions=8, n_embd=8, n_layer=1, n_head=2))
    config = ml.ConfigGPT(tasa=0.02, decaimiento_pesos=0.3)
    opt = ml._optimizador(modelo, config)
    con, sin = opt.param_groups
    assert con["weight_decay"] == 0.3 and sin["weight_decay"] == 0.0
    assert con["lr"] == sin["lr"] == 0.02 and con["betas"] == (0.9, 0.98)
    nombres = {id(p): n for n, p in modelo.named_parameters()}
    sin_decaimiento = {nombres[id(p)] for p in sin["params"]}
    con_decaimiento = {nombres[id(p)] for p in con["params"]}
    assert "transformer.h.0.ln_1.weight" in sin_decaimiento and "transformer.ln_f.weight" in sin_decaimiento
    assert "transformer.h.0.attn.c_attn.bias" in sin_decaimiento
    assert {"transformer.wte.weight", "transformer.h.0.attn.c_attn.weight", "transformer.h.0.mlp.c_fc.weight"} \
        <= con_decaimiento
    assert all(p.ndim >= 2 for p in con["params"])
    assert len(sin_decaimiento) + len(con_decaimiento) == len(list(modelo.parameters()))


def test_grupos_del_optimizador_con_layernorm_de_bert():
    from transformers import RoFormerConfig, RoFormerForMaskedLM

    modelo = RoFormerForMaskedLM(RoFormerConfig(vocab_size=30, embedding_size=8, hidden_size=8, num_hidden_layers=1,
                                                num_attention_heads=2, intermediate_size=16))
    _, sin = ml._optimizador(modelo, ml.ConfigBERT()).param_groups
    nombres = {id(p): n for n, p in modelo.named_parameters()}
    assert any("LayerNorm.weight" in nombres[id(p)] for p in sin["params"])


def test_lotes_aleatorios_son_ventanas_seguidas_y_reproducibles():
    flujo = torch.arange(100, 140)
    a = ml._lotes_aleatorios(flujo, 8, 500, torch.Generator().manual_seed(3))
    b = ml._lotes_aleatorios(flujo, 8, 500, torch.Generator().manual_seed(3))
    assert a.shape == (500, 8) and torch.equal(a, b)
    assert torch.equal(a[:, 1:] - a[:, :-1], torch.ones(500, 7, dtype=a.dtype))  # tokens seguidos
    inicios = set(a[:, 0].tolist())
    assert min(inicios) == 100 and max(inicios) == 131  # de la primera a la última posición posible - 1


def test_ventanas_bert_exactas():
    tok = SimpleNamespace(cls_token_id=2, sep_token_id=3)
    ventanas = ml._ventanas_bert(torch.arange(10, 20), 5, tok)
    assert ventanas.tolist() == [[2, 10, 11, 12, 3], [2, 13, 14, 15, 3], [2, 16, 17, 18, 3]]


def test_flujo_de_ids_con_fin_de_texto(corpus_chico):  # noqa: F811
    textos = corpus_mod.leer_corpus(carpeta=corpus_chico)["train"]
    gpt = ml.entrenar_tokenizador_bpe(textos, 300)
    bert = ml.entrenar_tokenizador_wordpiece(textos, 300)
    for tok, fin in ((gpt, gpt.eos_token_id), (bert, bert.sep_token_id)):
        flujo = ml.flujo_de_ids(tok, ["La casa.", "El perro."])
        esperado = (tok("La casa.", add_special_tokens=False)["input_ids"] + [fin]
                    + tok("El perro.", add_special_tokens=False)["input_ids"] + [fin])
        assert flujo.tolist() == esperado and flujo.dtype == torch.long
    assert bert.cls_token_id not in ml.flujo_de_ids(bert, ["La casa."]).tolist()


def test_enmascarar_nunca_elige_relleno_y_es_reproducible(corpus_chico):  # noqa: F811
    tok = ml.entrenar_tokenizador_wordpiece(corpus_mod.leer_corpus(carpeta=corpus_chico)["train"], 300)
    x = torch.randint(5, len(tok), (3000, 30), generator=torch.Generator().manual_seed(1))
    x[:, 0], x[:, -6], x[:, -5:] = tok.cls_token_id, tok.sep_token_id, tok.pad_token_id
    a, etiquetas = ml._enmascarar(x, tok, 0.3, torch.Generator().manual_seed(5))
    b, _ = ml._enmascarar(x, tok, 0.3, torch.Generator().manual_seed(5))
    assert torch.equal(a, b)
    elegidos = etiquetas != -100
    assert not elegidos[:, 0].any() and not elegidos[:, -6:].any()  # ni [CLS], ni [SEP], ni [PAD]
    assert torch.equal(x, x.clone())  # la entrada no se toca
    azar = elegidos & (a != x) & (a != tok.mask_token_id)
    assert a[azar].min().item() == 5 and a[azar].max().item() == len(tok) - 1  # todo el vocabulario normal
    todos = ml._enmascarar(x, tok, 1.0, torch.Generator().manual_seed(5))[1] != -100
    assert torch.equal(todos[:, 1:-6], torch.ones_like(todos[:, 1:-6]))  # con prob 1, todo lo que no es especial


def test_carpeta_de_la_cache_nombre_marca_y_sin_temporales(corpus_chico, entorno_limpio, capsys):  # noqa: F811
    carpeta = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, ml.entrenar_gpt, progreso=True, corpus=corpus_chico)
    assert capsys.readouterr().out.startswith(
        "Primera vez: entreno el modelo local 'gpt2-es' en tu CPU (queda guardado para las siguientes).\n")
    clave = ml.huella(GPT_DIMINUTO, corpus_mod.huella_corpus(corpus_chico))
    assert carpeta == entorno_limpio / "cache" / "modelos" / f"gpt2-es-{clave}"
    assert sorted(p.name for p in carpeta.parent.iterdir()) == [carpeta.name]  # sin .tmp
    marca = json.loads((carpeta / ml.MARCA).read_text(encoding="utf-8"))
    assert marca["nombre"] == "gpt2-es" and marca["config"] == GPT_DIMINUTO.__dict__
    assert marca["versiones"] == ml._versiones()
    assert len(marca["metricas"]["curva_perdida"]) == GPT_DIMINUTO.pasos
    assert ml.metricas_de(carpeta) == marca["metricas"]
    assert math.isfinite(marca["metricas"]["perdida_validacion"])
    ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, ml.entrenar_gpt, progreso=True, corpus=corpus_chico)
    assert capsys.readouterr().out == ""  # de la caché: sin entrenar ni avisar


def test_temporal_de_un_intento_anterior_se_limpia(corpus_chico, entorno_limpio):  # noqa: F811
    import os

    clave = ml.huella(GPT_DIMINUTO, corpus_mod.huella_corpus(corpus_chico))
    viejo = entorno_limpio / "cache" / "modelos" / f"gpt2-es-{clave}.tmp{os.getpid()}"
    viejo.mkdir(parents=True)
    (viejo / "basura.bin").write_bytes(b"x")
    carpeta = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, ml.entrenar_gpt, progreso=False, corpus=corpus_chico)
    assert not viejo.exists() and not (carpeta / "basura.bin").exists()


def test_mensaje_sin_permiso_exacto(tmp_path):
    """El mensaje que da construir_en_cache ante un PermissionError (la prueba de verdad, con permisos
    reales, está en test_errores_en_espanol.py y corre en otro proceso)."""
    error = PermissionError(13, "Permission denied", str(tmp_path / "model.safetensors"))
    assert str(cache_modelos._sin_permiso(tmp_path, error)) == (
        f"No tengo permiso para usar la caché de modelos del curso en {tmp_path} (Permission denied: "
        f"{tmp_path / 'model.safetensors'}). No borro ni vuelvo a entrenar nada. Devuélvele los permisos a tu "
        "usuario (por ejemplo: chmod -R u+rwX en esa carpeta) o fija CURSO_LLM_CACHE a una carpeta tuya.")
    sin_detalle = PermissionError("sin más")
    assert f"en {tmp_path} (sin más: {tmp_path})." in str(cache_modelos._sin_permiso(tmp_path, sin_detalle))


def test_flujo_de_ids_no_avisa_de_textos_largos(corpus_chico, capfd):  # noqa: F811
    """Los textos del corpus son más largos que el contexto a propósito (luego se cortan en ventanas):
    tokenizarlos no debe llenar stderr de avisos de «sequence length is longer»."""
    from transformers.utils import logging as registro

    textos = corpus_mod.leer_corpus(carpeta=corpus_chico)["train"]
    tok = ml.entrenar_tokenizador_bpe(textos, 300, contexto=8)
    antes = registro.get_verbosity()
    registro.set_verbosity_warning()
    try:
        capfd.readouterr()
        flujo = ml.flujo_de_ids(tok, [" ".join(textos[:5])])
    finally:
        registro.set_verbosity(antes)
    assert len(flujo) > 8
    assert "sequence length is longer" not in capfd.readouterr().err


# ---------------------------------------------------------------- pérdida de validación y bucle (mutantes, sesión 7)

def _gpt_al_azar(semilla=0):
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(semilla)
    return GPT2LMHeadModel(GPT2Config(vocab_size=40, n_positions=16, n_embd=16, n_layer=1, n_head=2,
                                      resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0,
                                      bos_token_id=0, eos_token_id=0)).eval()


def _perdida_a_mano(modelo, flujo, contexto):
    """Entropía cruzada de cada ventana de ``contexto`` tokens (sin solaparse, dejando al menos la
    último token fuera), sumada token a token y dividida por los tokens predichos."""
    n = (len(flujo) - 1) // contexto
    suma, tokens = 0.0, 0
    with torch.no_grad():
        for v in range(n):
            x = flujo[v * contexto:(v + 1) * contexto].unsqueeze(0)
            logits = modelo(input_ids=x).logits[0, :-1].double()
            suma += torch.nn.functional.cross_entropy(logits, x[0, 1:], reduction="sum").item()
            tokens += contexto - 1
    return suma / tokens


@pytest.mark.parametrize("largo", [96, 97])  # 95 y 96 tokens útiles: 11 y 12 ventanas de 8
def test_perdida_de_validacion_es_la_media_por_token(largo):
    from curso_llm.entrenamiento import perdida_validacion_gpt

    modelo = _gpt_al_azar()
    flujo = torch.randint(0, 40, (largo,), generator=torch.Generator().manual_seed(1))
    esperada = _perdida_a_mano(modelo, flujo, 8)
    # lotes de 5 ventanas: el último lote es más corto y la media debe pesar cada token igual
    assert perdida_validacion_gpt(modelo, flujo, 8, lote=5) == pytest.approx(esperada, rel=1e-5)
    assert perdida_validacion_gpt(modelo, flujo, 8) == pytest.approx(esperada, rel=1e-5)
    modelo.train()
    perdida_validacion_gpt(modelo, flujo, 8)
    assert modelo.training  # deja el modelo como estaba


def test_el_bucle_usa_el_optimizador_que_le_das():
    from curso_llm.entrenamiento import _bucle

    modelo = _gpt_al_azar()
    x = torch.randint(0, 40, (2, 8), generator=torch.Generator().manual_seed(2))
    config = ml.ConfigGPT(pasos=3, calentamiento=1, tasa=0.01, lote=2, contexto=8)
    sgd = torch.optim.SGD(modelo.parameters(), lr=0.0, momentum=0.9)
    metricas = _bucle(modelo, config, lambda: modelo(input_ids=x, labels=x).loss, "prueba", False, optimizador=sgd)
    assert len(metricas["curva_perdida"]) == 3
    assert all("momentum_buffer" in sgd.state[p] for p in modelo.parameters())  # dio sus pasos
    assert sgd.param_groups[0]["lr"] == pytest.approx(ml._tasa(2, config))  # con la tasa del calendario


def test_carpeta_lista_con_una_configuracion_regional_sin_utf8(tmp_path):
    """Con LC_ALL=C, un modelo en caché cuyo tokenizador tiene eñes sigue «listo»: leerlo con la
    codificación regional lo daría por dañado, y el curso lo borraría y lo volvería a entrenar."""
    from safetensors.torch import save_file

    carpeta = tmp_path / "gpt-123"
    carpeta.mkdir()
    for archivo, datos in ((cache_modelos.MARCA, {"nombre": "gpt", "nota": "pérdida"}), ("config.json", {"a": 1}),
                           ("tokenizer.json", {"vocab": {"año": 0, "niño": 1}})):
        (carpeta / archivo).write_text(json.dumps(datos, ensure_ascii=False), encoding="utf-8")
    save_file({"w": torch.zeros(2)}, str(carpeta / "model.safetensors"))
    assert cache_modelos._carpeta_lista(carpeta)
    from conftest import ejecutar_sin_utf8

    codigo = ("import sys; from pathlib import Path; from curso_llm.cache_modelos import _carpeta_lista\n"
              "print(_carpeta_lista(Path(sys.argv[1])))")
    assert ejecutar_sin_utf8(codigo, tmp_path / "cache", str(carpeta)) == "True"


def test_el_bucle_al_detalle(capsys):
    """Curva con 4 decimales, tiempos sin las pausas de ``tras_el_paso``, barra con su nombre y su
    cuenta, la pérdida en la barra cada 50 pasos, y sin gradientes colgados al terminar."""
    import copy
    import time

    from curso_llm.entrenamiento import _bucle

    modelo = _gpt_al_azar()
    x = torch.randint(0, 40, (2, 8), generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        perdida_inicial = copy.deepcopy(modelo)(input_ids=x, labels=x).loss.item()
    config = ml.ConfigGPT(pasos=51, calentamiento=5, tasa=0.05, lote=2, contexto=8)
    vistos = []

    def tras_el_paso(pasos, segundos):
        vistos.append((pasos, segundos))
        time.sleep(0.02)  # lo que tardaría medir la validación: no cuenta como entrenamiento

    inicio = time.perf_counter()
    metricas = _bucle(modelo, config, lambda: modelo(input_ids=x, labels=x).loss, "Entrenando la prueba", True,
                      tras_el_paso=tras_el_paso)
    pared = time.perf_counter() - inicio
    curva = metricas["curva_perdida"]
    assert len(curva) == 51 and curva[0] == round(perdida_inicial, 4) != round(perdida_inicial, 5)
    assert curva[-1] < curva[0]
    assert [p for p, _ in vistos] == list(range(1, 52))
    segundos = [s for _, s in vistos]
    assert 0 < segundos[0] and all(a < b for a, b in zip(segundos, segundos[1:]))
    assert segundos[-1] <= metricas["segundos_bucle"] <= pared - 51 * 0.02
    assert metricas["tokens_por_segundo"] == pytest.approx(51 * 2 * 8 / metricas["segundos_bucle"])
    assert all(p.grad is None for p in modelo.parameters())
    assert not modelo.training
    salida = capsys.readouterr().err
    assert salida.count("pérdida=") < 10  # la pérdida se pone en la barra cada 50 pasos, no en cada uno
    barra = salida.replace("\r", "\n").strip().splitlines()[-1]
    assert barra.startswith("Entrenando la prueba: 100%") and "51/51" in barra
    assert f"pérdida={curva[50]:.2f}" in barra and f"{curva[50]:.2f}" != f"{curva[0]:.2f}"


def test_el_bucle_recorta_el_gradiente_a_norma_1():
    from curso_llm.entrenamiento import _bucle

    modelo = _gpt_al_azar()
    antes = [p.detach().clone() for p in modelo.parameters()]
    x = torch.randint(0, 40, (2, 8), generator=torch.Generator().manual_seed(4))
    config = ml.ConfigGPT(pasos=1, calentamiento=1, tasa=0.01, lote=2, contexto=8)
    sgd = torch.optim.SGD(modelo.parameters(), lr=1.0)  # sin momento: el paso es tasa × gradiente recortado
    _bucle(modelo, config, lambda: 1e4 * modelo(input_ids=x, labels=x).loss, "prueba", False, optimizador=sgd)
    paso = torch.cat([(p.detach() - a).flatten() for p, a in zip(modelo.parameters(), antes)])
    assert paso.norm().item() == pytest.approx(0.01 * 1.0, rel=1e-3)


# ---------------------------------------------------------------- construir_en_cache (mutantes, sesión 7)

def test_construir_en_cache_avisa_por_defecto_y_entrena_con_el_corpus_dado(corpus_chico, entorno_limpio,  # noqa: F811
                                                                           capsys):
    vistos = []

    def entrenar(config, train, val, progreso):
        vistos.append((train, val, progreso))
        return ml.entrenar_gpt(config, train, val, progreso=False)

    carpeta = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, entrenar, corpus=corpus_chico)  # sin decir progreso
    assert capsys.readouterr().out.startswith("Primera vez: entreno el modelo local 'gpt2-es'")
    partes = corpus_mod.leer_corpus(carpeta=corpus_chico)
    assert vistos == [(partes["train"], partes["validation"], True)]
    # la marca es un JSON para leerlo a mano: una clave por línea, con sangría de un espacio
    assert (carpeta / ml.MARCA).read_text(encoding="utf-8").startswith(
        '{\n "nombre": "gpt2-es",\n "config": {\n  "vocabulario": 300,\n')


def test_si_otro_proceso_termino_antes_su_carpeta_se_sustituye(corpus_chico, entorno_limpio):  # noqa: F811
    """Dos cuadernos que entrenan el mismo modelo a la vez: el segundo en terminar deja el suyo, entero."""
    clave = ml.huella(GPT_DIMINUTO, corpus_mod.huella_corpus(corpus_chico))
    final = entorno_limpio / "cache" / "modelos" / f"gpt2-es-{clave}"

    def entrenar_mientras_otro_termina(config, train, val, progreso):
        final.mkdir()
        (final / "del-otro.txt").write_text("a medias", encoding="utf-8")
        return ml.entrenar_gpt(config, train, val, progreso=False)

    carpeta = ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, entrenar_mientras_otro_termina, progreso=False,
                                    corpus=corpus_chico)
    assert carpeta == final and not (final / "del-otro.txt").exists()
    assert cache_modelos._carpeta_lista(final)
    assert sorted(p.name for p in final.parent.iterdir()) == [final.name]  # sin temporales


def test_sin_permiso_al_guardar_el_modelo(corpus_chico, entorno_limpio):  # noqa: F811
    from curso_llm.errores import ErrorCurso

    def entrenar_sin_permiso(config, train, val, progreso):
        raise PermissionError(13, "Permission denied", "/x/tmp")

    with pytest.raises(ErrorCurso) as capturado:
        ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, entrenar_sin_permiso, progreso=False, corpus=corpus_chico)
    assert str(capturado.value).startswith(
        f"No tengo permiso para usar la caché de modelos del curso en {entorno_limpio / 'cache' / 'modelos'} "
        "(Permission denied: /x/tmp). No borro")


def test_sin_permiso_desde_construir_en_cache_con_su_carpeta(corpus_chico, entorno_limpio, monkeypatch):  # noqa: F811
    """Cómo llega un PermissionError a quien pide el modelo. Como root no se puede quitar un permiso,
    así que el error se provoca aquí donde nacería (la prueba con permisos de verdad, en otro proceso,
    está en test_errores_en_espanol.py)."""
    from curso_llm.errores import ErrorCurso

    modelos = entorno_limpio / "cache" / "modelos"
    clave = ml.huella(GPT_DIMINUTO, corpus_mod.huella_corpus(corpus_chico))
    (modelos / f"gpt2-es-{clave}").mkdir(parents=True)
    (modelos / f"gpt2-es-{clave}" / "model.safetensors").write_bytes(b"pesos")

    def casos():
        # 1) la carpeta del modelo no se deja leer; 2) ni siquiera la caché; 3) lo mismo, sin nombre de archivo
        yield "_carpeta_lista", PermissionError(13, "Permission denied", "/x/model.safetensors"), \
            f"en {modelos} (Permission denied: /x/model.safetensors). No borro"
        yield "carpeta_cache", PermissionError(13, "Permission denied", "/sin/permiso"), \
            "en /sin/permiso (Permission denied: /sin/permiso). No borro"
        yield "carpeta_cache", PermissionError("sin más"), "en . (sin más: .). No borro"

    for donde, error, esperado in casos():
        def falla(*_, error=error):
            raise error

        with monkeypatch.context() as m:
            m.setattr(cache_modelos, donde, falla)
            with pytest.raises(ErrorCurso) as capturado:
                ml.construir_en_cache("gpt2-es", GPT_DIMINUTO, ml.entrenar_gpt, progreso=False, corpus=corpus_chico)
        assert str(capturado.value).startswith(f"No tengo permiso para usar la caché de modelos del curso {esperado}")
        assert (modelos / f"gpt2-es-{clave}" / "model.safetensors").read_bytes() == b"pesos"  # nada borrado


def test_carpeta_con_pesos_vacios_no_esta_lista(tmp_path):
    from safetensors.torch import save_file

    for archivo in (cache_modelos.MARCA, "config.json", "tokenizer.json"):
        (tmp_path / archivo).write_text("{}", encoding="utf-8")
    save_file({}, str(tmp_path / "model.safetensors"))
    assert not cache_modelos._carpeta_lista(tmp_path)
    save_file({"w": torch.zeros(1)}, str(tmp_path / "model.safetensors"))
    assert cache_modelos._carpeta_lista(tmp_path)


# ---------------------------------------------------------------- los modelos que salen de entrenar_*

def _entrenar(entrenar, config, corpus, progreso=False):
    """Con ``progreso=None``, sin pasarlo: el valor por defecto de ``entrenar``."""
    train, val = _textos(corpus)
    if progreso is None:
        return entrenar(config, train, val)
    return entrenar(config, train, val, progreso=progreso)


def _metricas_de_tiempo_y_tokens(entrenar, config, corpus, capsys):
    """Entrena sin decir nada de la barra (por defecto se ve: entrenar tarda); comprueba su título,
    los tiempos y los tokens. Devuelve lo entrenado."""
    import re
    import time

    capsys.readouterr()
    inicio = time.perf_counter()
    modelo, tok, metricas = _entrenar(entrenar, config, corpus, progreso=None)
    pared = time.perf_counter() - inicio
    titulo = "Entrenando el mini GPT-2" if entrenar is ml.entrenar_gpt else "Entrenando el mini BERT"
    barra = capsys.readouterr().err
    assert re.search(rf"(?:^|\r){re.escape(titulo)}: +100%\|", barra), barra[-300:]
    assert 0 < metricas["segundos_bucle"] <= metricas["segundos_total"] <= pared
    train, val = _textos(corpus)
    assert metricas["tokens_entrenamiento"] == len(ml.flujo_de_ids(tok, train))
    return modelo, tok, metricas, val


def test_el_mini_gpt_que_entrenas_es_el_de_tu_configuracion(corpus_chico, capsys):  # noqa: F811
    """Cada número de ConfigGPT llega al modelo y al tokenizador (la pérdida que baja no lo garantiza)."""
    config = GPT_DIMINUTO
    modelo, tok, metricas, val = _metricas_de_tiempo_y_tokens(ml.entrenar_gpt, config, corpus_chico, capsys)
    assert metricas["tokens_validacion"] == len(ml.flujo_de_ids(tok, val))
    assert metricas["perplejidad_validacion"] == pytest.approx(math.exp(metricas["perdida_validacion"]))
    c = modelo.config
    assert type(modelo).__name__ == "GPT2LMHeadModel"
    assert (c.vocab_size, c.n_positions, c.n_embd, c.n_layer, c.n_head) == (len(tok), 32, 32, 1, 2)
    assert c.bos_token_id == c.eos_token_id == tok.eos_token_id
    assert (c.resid_pdrop, c.embd_pdrop, c.attn_pdrop) == (0.0, 0.0, 0.0)
    assert c.activation_function == "gelu_pytorch_tanh"
    assert tok.model_max_length == 32


def test_el_mini_bert_que_entrenas_es_el_de_tu_configuracion(corpus_chico, capsys):  # noqa: F811
    """Cada número de ConfigBERT llega al modelo: con un tamaño por defecto de transformers (12 capas,
    768 de ancho) o con dropout, el mini BERT seguiría aprendiendo y nadie lo notaría."""
    config = BERT_DIMINUTO
    modelo, tok, _, _ = _metricas_de_tiempo_y_tokens(ml.entrenar_bert, config, corpus_chico, capsys)
    c = modelo.config
    assert type(modelo).__name__ == "RoFormerForMaskedLM"
    assert (c.vocab_size, c.embedding_size, c.hidden_size) == (len(tok), 32, 32)
    assert (c.num_hidden_layers, c.num_attention_heads, c.intermediate_size) == (1, 2, 4 * 32)
    assert c.max_position_embeddings == 24 and tok.model_max_length == 24
    assert c.pad_token_id == tok.pad_token_id == tok.convert_tokens_to_ids("[PAD]")
    assert (c.hidden_dropout_prob, c.attention_probs_dropout_prob) == (0.0, 0.0)
    assert sum(p.numel() for p in modelo.parameters()) < 100_000  # diminuto de verdad


def _datos_que_ve(entrenar, config, corpus, monkeypatch, funcion):
    """Lo que ``entrenar`` pide a ``funcion`` (``_lotes_aleatorios`` o ``_enmascarar``) en cada paso:
    ``(primer argumento, [salidas])``."""
    original = getattr(ml, funcion)
    vistos = []

    def registrar(*args, **kwargs):
        salida = original(*args, **kwargs)
        vistos.append((args[0].clone(), [t.clone() for t in (salida if isinstance(salida, tuple) else (salida,))]))
        return salida

    with monkeypatch.context() as m:  # se deshace al salir: la prueba lo llama varias veces
        m.setattr(ml, funcion, registrar)
        _entrenar(entrenar, config, corpus)
    return vistos


@pytest.mark.parametrize("modelo", ["gpt", "bert"])
def test_los_lotes_no_dependen_del_tamano_del_modelo(corpus_chico, monkeypatch, modelo):  # noqa: F811
    """Los lotes salen de un generador propio con la semilla: dos recetas de distinto tamaño (lo que
    compara el capítulo 4) ven los mismos textos y las mismas máscaras. Si salieran del azar global,
    crear un modelo más grande (que gasta más números al azar) cambiaría los lotes."""
    entrenar, config, funcion = {"gpt": (ml.entrenar_gpt, GPT_DIMINUTO, "_lotes_aleatorios"),
                                 "bert": (ml.entrenar_bert, BERT_DIMINUTO, "_enmascarar")}[modelo]
    grande = config.__class__(**{**config.__dict__, "dim": 48, "capas": 2})
    chico = _datos_que_ve(entrenar, config, corpus_chico, monkeypatch, funcion)
    otro = _datos_que_ve(entrenar, grande, corpus_chico, monkeypatch, funcion)
    assert len(chico) == len(otro) == config.pasos
    for (_, a), (_, b) in zip(chico, otro):
        assert all(torch.equal(x, y) for x, y in zip(a, b))
    # y la semilla sí los cambia
    semilla = config.__class__(**{**config.__dict__, "semilla": config.semilla + 1})
    distinta = _datos_que_ve(entrenar, semilla, corpus_chico, monkeypatch, funcion)
    assert not all(torch.equal(a[0], b[0]) for (_, a), (_, b) in zip(chico, distinta))


def test_el_mini_bert_ve_todas_las_ventanas(corpus_chico, monkeypatch):  # noqa: F811
    """Los lotes del mini BERT se sortean entre todas las ventanas del corpus, también la primera."""
    config = BERT_DIMINUTO.__class__(**{**BERT_DIMINUTO.__dict__, "pasos": 40, "lote": 16})
    vistos = _datos_que_ve(ml.entrenar_bert, config, corpus_chico, monkeypatch, "_enmascarar")
    train, _ = _textos(corpus_chico)
    tok = ml.entrenar_tokenizador_wordpiece(train, config.vocabulario, config.contexto)
    ventanas = ml._ventanas_bert(ml.flujo_de_ids(tok, train), config.contexto, tok)
    # lo que entra en _enmascarar son ventanas tal cual; con 640 sorteos entre ~70, salen todas
    sorteadas = {tuple(fila.tolist()) for entrada, _ in vistos for fila in entrada}
    assert sorteadas == {tuple(fila.tolist()) for fila in ventanas}, f"{len(sorteadas)} de {len(ventanas)}"


def test_el_mini_gpt_calcula_su_perdida_sin_avisos(corpus_chico, capfd):  # noqa: F811
    """Sin ``loss_type`` conocido, transformers 5 avisa en inglés («loss_type=None … is unrecognized»)
    al calcular la pérdida: en las páginas del libro saldría ese aviso bajo cada celda que entrena."""
    from transformers.utils import logging as registro

    registro.warning_once.cache_clear()  # transformers avisa una vez por proceso: que cuente esta
    tok = ml.entrenar_tokenizador_bpe(_textos(corpus_chico)[0], 300, 32)
    modelo = ml.modelo_gpt(GPT_DIMINUTO, tok)
    x = torch.tensor([[5, 6, 7, 8, 9]])
    capfd.readouterr()
    perdida = modelo(input_ids=x, labels=x).loss
    assert capfd.readouterr().err == ""
    logits = modelo(input_ids=x).logits
    assert perdida.item() == pytest.approx(torch.nn.functional.cross_entropy(logits[0, :-1], x[0, 1:]).item())
