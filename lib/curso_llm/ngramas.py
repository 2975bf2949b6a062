"""Líneas base n-grama para comparar la perplejidad del mini GPT (mismo tokenizador y partición).

- Unigrama con suavizado de Laplace (add-one).
- Bigrama y trigrama con Kneser–Ney interpolado (descuento absoluto D; órdenes
  inferiores con cuentas de continuación; el fondo es uniforme sobre el vocabulario).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict


def perplejidad_unigrama(train: list[int], val: list[int], vocabulario: int) -> float:
    cuentas = Counter(train)
    total = len(train)
    nll = -sum(math.log((cuentas[w] + 1) / (total + vocabulario)) for w in val)
    return math.exp(nll / len(val))


class KneserNey:
    """Kneser–Ney interpolado de orden ``n`` sobre una secuencia de ids."""

    def __init__(self, ids: list[int], n: int, vocabulario: int, descuento: float = 0.75):
        self.n, self.V, self.D = n, vocabulario, descuento
        # cuentas[k][contexto][w]: para el orden más alto, cuentas reales; para los demás, de continuación.
        self.cuentas = [defaultdict(Counter) for _ in range(n + 1)]
        ngramas = Counter(tuple(ids[i : i + n]) for i in range(len(ids) - n + 1))
        for ng, c in ngramas.items():
            self.cuentas[n][ng[:-1]][ng[-1]] += c
        for orden in range(n, 1, -1):
            # continuación: cuántos contextos distintos preceden a cada (orden-1)-grama
            for contexto, siguientes in self.cuentas[orden].items():
                for w in siguientes:
                    self.cuentas[orden - 1][contexto[1:]][w] += 1
        self.totales = [{c: sum(s.values()) for c, s in tabla.items()} for tabla in self.cuentas]
        self.tipos = [{c: len(s) for c, s in tabla.items()} for tabla in self.cuentas]

    def prob(self, contexto: tuple[int, ...], w: int) -> float:
        p = 1.0 / self.V
        for orden in range(1, self.n + 1):
            c = contexto[len(contexto) - (orden - 1) :] if orden > 1 else ()
            total = self.totales[orden].get(c)
            if not total:
                continue
            cuenta = self.cuentas[orden][c].get(w, 0)
            p = max(cuenta - self.D, 0) / total + self.D * self.tipos[orden][c] / total * p
        return p

    def perplejidad(self, val: list[int]) -> float:
        nll = 0.0
        for i, w in enumerate(val):
            contexto = tuple(val[max(0, i - self.n + 1) : i])
            nll -= math.log(self.prob(contexto, w))
        return math.exp(nll / len(val))
