"""¿Cuántos minutos de CPU necesita el mini GPT-2 para igualar al trigrama Kneser–Ney?

Uso:  .venv/bin/python bench/hasta_el_trigrama.py [--pasos 3300] [--cada 100] [--tasa 3e-3] [--lote 8]
          [--contexto 128] [--dim 128] [--capas 4] [--cabezas 4] [--calentamiento 60]
          [--optimizador adamw|muon] [--hilos 2] [--seguir]

Entrena con la receta de ``preparar`` (``ConfigGPT``, cambiando lo que se pida: el coseno se estira
a los pasos pedidos) y cada ``--cada`` pasos mide la perplejidad en toda la validación.
``--optimizador muon`` usa Muon (ortogonalización de Newton–Schulz en float32) en las matrices de
los bloques y AdamW en el resto (embeddings, sesgos, normalizaciones). ``--seguir`` no se detiene
al alcanzar al trigrama: entrena todos los pasos (para ver dónde acaba la receta). Se detiene en cuanto la perplejidad es menor o igual que la del trigrama KN (misma
partición, mismo tokenizador) e imprime los segundos de entrenamiento hasta ahí (sin contar las
validaciones). Los tiempos dependen de la máquina y de su carga: dilo al informar.
"""

from __future__ import annotations

import argparse
import json
import math
import time


class _Alcanzado(Exception):
    pass


def _ortogonalizar(g, pasos: int = 5):
    """Newton–Schulz de 5 pasos (coeficientes de Keller Jordan, 2024), en float32 (en esta CPU,
    bfloat16, lo que usa torch.optim.Muon, es decenas de veces más lento). ``g`` puede traer varias
    matrices de la misma forma apiladas: se ortogonalizan todas a la vez, con menos llamadas."""
    a, b, c = 3.4445, -4.7750, 2.0315
    x = g / (g.norm(dim=(-2, -1), keepdim=True) + 1e-7)
    traspuesta = x.shape[-2] > x.shape[-1]
    if traspuesta:
        x = x.mT
    for _ in range(pasos):
        m = x @ x.mT
        x = a * x + (b * m + c * m @ m) @ x
    return x.mT if traspuesta else x


def _muon_y_adamw(modelo, config):
    """Muon en las matrices de los bloques; AdamW (como ``_optimizador``) en todo lo demás.

    La tasa de Muon se escala por 0,2·√max(filas, columnas) para que sus pasos tengan la escala de
    los de AdamW (Liu et al., 2025, «Muon is scalable for LLM training»), así que una sola tasa
    sirve para los dos y el calendario de ``_tasa`` los mueve juntos."""
    import torch

    class Muon(torch.optim.Optimizer):
        def __init__(self, params, lr, momento=0.95, decaimiento=0.0):
            super().__init__(params, {"lr": lr, "momento": momento, "decaimiento": decaimiento})

        @torch.no_grad()
        def step(self):
            for grupo in self.param_groups:
                por_forma = {}
                for p in grupo["params"]:
                    if p.grad is not None:
                        por_forma.setdefault(tuple(p.shape), []).append(p)
                for forma, params in por_forma.items():
                    gs = []
                    for p in params:
                        estado = self.state[p]
                        if "impulso" not in estado:
                            estado["impulso"] = torch.zeros_like(p)
                        impulso = estado["impulso"].mul_(grupo["momento"]).add_(p.grad)
                        gs.append(p.grad.add(impulso, alpha=grupo["momento"]))  # Nesterov
                    ortogonales = _ortogonalizar(torch.stack(gs))
                    escala = 0.2 * max(forma) ** 0.5
                    for p, o in zip(params, ortogonales):
                        p.mul_(1 - grupo["lr"] * grupo["decaimiento"])
                        p.add_(o, alpha=-grupo["lr"] * escala)

    class Juntos:
        def __init__(self, *optimizadores):
            self.optimizadores = optimizadores
            self.param_groups = [g for o in optimizadores for g in o.param_groups]

        def step(self):
            for o in self.optimizadores:
                o.step()

        def zero_grad(self, set_to_none=True):
            for o in self.optimizadores:
                o.zero_grad(set_to_none=set_to_none)

    matrices = [p for n, p in modelo.named_parameters() if p.ndim >= 2 and ".h." in f".{n}"]
    ids = {id(p) for p in matrices}
    resto = [p for p in modelo.parameters() if id(p) not in ids]
    adamw = torch.optim.AdamW([{"params": [p for p in resto if p.ndim >= 2], "weight_decay": config.decaimiento_pesos},
                               {"params": [p for p in resto if p.ndim < 2], "weight_decay": 0.0}],
                              lr=config.tasa, betas=(0.9, 0.98))
    return Juntos(adamw, Muon(matrices, config.tasa, decaimiento=config.decaimiento_pesos))


def main() -> None:
    import torch

    from curso_llm import modelos_locales as ml
    from curso_llm.corpus import leer_corpus
    from curso_llm.entrenamiento import _bucle, _lotes_aleatorios, _reproducible, flujo_de_ids, perdida_validacion_gpt
    from curso_llm.ngramas import KneserNey

    p = argparse.ArgumentParser()
    p.add_argument("--pasos", type=int, default=3300)
    p.add_argument("--cada", type=int, default=100)
    p.add_argument("--tasa", type=float, default=ml.ConfigGPT().tasa)
    p.add_argument("--lote", type=int, default=ml.ConfigGPT().lote)
    for campo in ("contexto", "dim", "capas", "cabezas", "calentamiento", "hilos", "vocabulario"):
        p.add_argument(f"--{campo}", type=int, default=getattr(ml.ConfigGPT(), campo))
    p.add_argument("--optimizador", choices=("adamw", "muon"), default="adamw")
    p.add_argument("--seguir", action="store_true")
    args = p.parse_args()
    config = ml.ConfigGPT(pasos=args.pasos, tasa=args.tasa, lote=args.lote, contexto=args.contexto,
                          dim=args.dim, capas=args.capas, cabezas=args.cabezas, hilos=args.hilos,
                          calentamiento=args.calentamiento, vocabulario=args.vocabulario)

    partes = leer_corpus()
    with _reproducible(config):
        tok = ml.entrenar_tokenizador_bpe(partes["train"], config.vocabulario, config.contexto)
        flujo = flujo_de_ids(tok, partes["train"])
        flujo_val = flujo_de_ids(tok, partes["validation"])
        trigrama = KneserNey(flujo.tolist(), 3, len(tok)).perplejidad(flujo_val.tolist())
        modelo = ml.modelo_gpt(config, tok)  # el mismo modelo que entrenar_gpt
        generador = torch.Generator().manual_seed(config.semilla)
        registro, registro_alcanzado = [], []

        def perdida_del_paso():
            x = _lotes_aleatorios(flujo, config.contexto, config.lote, generador)
            return modelo(input_ids=x, labels=x).loss

        def tras_el_paso(pasos, segundos):
            if pasos % args.cada and pasos != config.pasos:
                return
            ppl = math.exp(perdida_validacion_gpt(modelo, flujo_val, config.contexto))
            registro.append({"pasos": pasos, "segundos": round(segundos, 1), "perplejidad": round(ppl, 2)})
            print(f"paso {pasos:>5}  {segundos:7.1f} s  perplejidad {ppl:7.2f}  (trigrama {trigrama:.2f})", flush=True)
            if ppl <= trigrama and not registro_alcanzado:
                registro_alcanzado.append(registro[-1])
                if not args.seguir:
                    raise _Alcanzado

        inicio = time.perf_counter()
        try:
            optimizador = _muon_y_adamw(modelo, config) if args.optimizador == "muon" else None
            _bucle(modelo, config, perdida_del_paso, "Hasta el trigrama", False, tras_el_paso, optimizador)
        except _Alcanzado:
            pass
        alcanzado = registro_alcanzado[0] if registro_alcanzado else None
    print(json.dumps({"config": vars(args), "trigrama": round(trigrama, 2), "alcanzado": alcanzado,
                      "registro": registro, "segundos_reloj": round(time.perf_counter() - inicio, 1)},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
