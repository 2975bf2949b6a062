"""Un servidor en la red local que acepta conexiones y nunca responde: la red «colgada».

Sirve de proxy (toda la red desviada a él) o de «Hub» que no contesta. Lo usan las pruebas
(test_modo, test_hub, test_comportamiento) y bench/tiempos.py, que mide cuánto se espera.
"""

from __future__ import annotations

import socket
import threading

# Lo que hace un capítulo al empezar en modo local, con la red desviada o colgada: cargar un
# conjunto local y pedir un id del Hub que no está en la caché (que debe fallar enseguida, no
# esperar). Imprime los segundos que tardó; test_modo, test_comportamiento y bench/tiempos.py.
SONDA_RED = """
import time, curso_llm, datasets
from transformers import AutoConfig
t0 = time.perf_counter()
conjunto = curso_llm.cargar_conjunto("sesgo-genero")
assert conjunto["train"].num_rows > 0
try:  # un id del Hub que no está en la caché: debe fallar enseguida, no esperar
    AutoConfig.from_pretrained("DeepESP/gpt2-spanish")
    raise SystemExit("¡se descargó algo!")
except OSError:
    pass
print(f"{time.perf_counter() - t0:.3f}")
"""


class ServidorMudo:
    """``with ServidorMudo() as mudo:`` → ``mudo.url`` (http://127.0.0.1:puerto) y
    ``mudo.conexiones`` (las que se le abrieron). Al salir, cierra todo."""

    def __enter__(self) -> "ServidorMudo":
        self._servidor = socket.socket()
        self._servidor.bind(("127.0.0.1", 0))
        self._servidor.listen(64)
        self._servidor.settimeout(0.2)
        self.conexiones: list[socket.socket] = []
        self._fin = threading.Event()

        def aceptar():
            while not self._fin.is_set():
                try:
                    self.conexiones.append(self._servidor.accept()[0])
                except OSError:  # el plazo de 0,2 s para volver a mirar si hay que parar
                    pass

        self._hilo = threading.Thread(target=aceptar, daemon=True)
        self._hilo.start()
        self.url = f"http://127.0.0.1:{self._servidor.getsockname()[1]}"
        return self

    def __exit__(self, *_) -> None:
        self._fin.set()
        self._hilo.join()
        for conexion in self.conexiones:
            conexion.close()
        self._servidor.close()


def variables_de_proxy(url: str) -> dict[str, str]:
    """Las variables que desvían toda la red de un proceso a ``url``."""
    return {"HTTPS_PROXY": url, "HTTP_PROXY": url, "https_proxy": url, "http_proxy": url, "NO_PROXY": ""}
