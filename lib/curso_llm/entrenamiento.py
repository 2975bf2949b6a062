"""El bucle de entrenamiento del curso y sus piezas, en PyTorch a la vista.

El mismo código entrena los modelos locales (``python -m curso_llm preparar``) y es el que el
capítulo 4 explica paso a paso:

- ``flujo_de_ids``: todos los textos tokenizados en un solo tensor (secuencias empaquetadas).
- ``_tasa``: calentamiento lineal y decaimiento coseno.
- ``_optimizador``: AdamW, sin decaimiento de pesos en sesgos ni normalizaciones.
- ``_bucle``: el bucle común, con recorte de gradiente y barra de progreso.
- ``_reproducible``: semilla e hilos fijos mientras dura el entrenamiento.
- ``perdida_validacion_gpt``: la pérdida media por token de un modelo causal en validación.
"""

from __future__ import annotations

import math
import time
from contextlib import contextmanager

from .eficiencia import parametros


def flujo_de_ids(tokenizador, textos: list[str]):
    """Todos los textos tokenizados y unidos en un solo tensor, separados por el token de fin."""
    import torch

    fin = tokenizador.eos_token_id if tokenizador.eos_token_id is not None else tokenizador.sep_token_id
    ids: list[int] = []
    for lote in tokenizador(textos, add_special_tokens=False, verbose=False)["input_ids"]:
        ids.extend(lote)
        ids.append(fin)
    return torch.tensor(ids, dtype=torch.long)


def _lotes_aleatorios(flujo, contexto: int, lote: int, generador):
    """Un lote de ventanas de ``contexto`` tokens tomadas en posiciones al azar (reproducibles)."""
    import torch

    inicios = torch.randint(0, len(flujo) - contexto, (lote,), generator=generador)
    return torch.stack([flujo[i : i + contexto] for i in inicios.tolist()])


def _tasa(paso: int, config) -> float:
    """Calentamiento lineal y luego decaimiento coseno hasta el 10 %."""
    if paso < config.calentamiento:
        return config.tasa * (paso + 1) / config.calentamiento
    avance = (paso - config.calentamiento) / max(1, config.pasos - config.calentamiento)
    return config.tasa * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * avance)))


def _optimizador(modelo, config):
    import torch

    # Los sesgos y los pesos de las normalizaciones son vectores (ndim 1): sin decaimiento.
    con = [p for p in modelo.parameters() if p.ndim >= 2]
    sin = [p for p in modelo.parameters() if p.ndim < 2]
    return torch.optim.AdamW([{"params": con, "weight_decay": config.decaimiento_pesos},
                              {"params": sin, "weight_decay": 0.0}], lr=config.tasa, betas=(0.9, 0.98))


def _barra(total: int, descripcion: str, mostrar: bool):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=descripcion, disable=not mostrar, mininterval=1.0)


def _bucle(modelo, config, perdida_del_paso, descripcion: str, progreso: bool, tras_el_paso=None,
           optimizador=None) -> dict:
    """El bucle de entrenamiento común: tasa con calentamiento y coseno, recorte de gradiente, AdamW.

    ``perdida_del_paso()`` arma un lote y devuelve su pérdida. Devuelve las métricas comunes:
    curva de pérdida, segundos del bucle, tokens por segundo y parámetros.

    ``tras_el_paso(pasos_dados, segundos)``, si se da, se llama al final de cada paso con los pasos
    dados y los segundos de entrenamiento hasta ahí (sin contar lo que tarde la propia llamada, que
    puede medir la validación); no cambia lo que se entrena.

    ``optimizador``, si se da, sustituye al AdamW de ``_optimizador`` (bench/ prueba otros); la
    tasa de cada grupo la sigue fijando ``_tasa`` en cada paso.
    """
    import torch

    modelo.train()
    opt = optimizador if optimizador is not None else _optimizador(modelo, config)
    curva: list[float] = []
    inicio = time.perf_counter()
    pausas = 0.0
    with _barra(config.pasos, descripcion, progreso) as barra:
        for paso in range(config.pasos):
            for grupo in opt.param_groups:
                grupo["lr"] = _tasa(paso, config)
            perdida = perdida_del_paso()
            perdida.backward()
            torch.nn.utils.clip_grad_norm_(modelo.parameters(), 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)
            curva.append(round(perdida.item(), 4))
            barra.update(1)
            if paso % 50 == 0:
                barra.set_postfix(pérdida=f"{perdida.item():.2f}")
            if tras_el_paso is not None:
                antes = time.perf_counter()
                tras_el_paso(paso + 1, antes - inicio - pausas)
                modelo.train()
                pausas += time.perf_counter() - antes
    modelo.eval()
    segundos = time.perf_counter() - inicio - pausas
    return {"curva_perdida": curva, "segundos_bucle": segundos,
            "tokens_por_segundo": config.pasos * config.lote * config.contexto / segundos,
            "parametros": parametros(modelo)[1]}


@contextmanager
def _reproducible(config):
    """Semilla de ``config`` y sus hilos de CPU mientras dura el entrenamiento (luego, los de antes),
    con los gradientes encendidos aunque quien llama los haya apagado (el capítulo 2 los apaga y
    luego pide el mini BERT, que se entrena ahí mismo si aún no está en la caché)."""
    import torch

    torch.manual_seed(config.semilla)
    hilos_antes = torch.get_num_threads()
    torch.set_num_threads(config.hilos)
    try:
        with torch.enable_grad():
            yield
    finally:
        torch.set_num_threads(hilos_antes)


def perdida_validacion_gpt(modelo, flujo, contexto: int, lote: int = 32) -> float:
    """Pérdida media por token en ventanas consecutivas (sin solaparse) del flujo de validación.

    Las ventanas van al dispositivo del modelo (CPU, CUDA o MPS)."""
    import torch

    n = (len(flujo) - 1) // contexto
    ventanas = flujo[: n * contexto].view(n, contexto)
    total, cuenta = 0.0, 0
    estaba_entrenando = modelo.training
    modelo.eval()
    with torch.no_grad():
        for i in range(0, n, lote):
            x = ventanas[i : i + lote].to(modelo.device)
            salida = modelo(input_ids=x, labels=x)
            tokens = x.numel() - x.shape[0]  # la pérdida predice desde la 2.ª posición
            total += salida.loss.item() * tokens
            cuenta += tokens
    modelo.train(estaba_entrenando)
    return total / cuenta
