# LLMs sin barreras: las dos órdenes del README.
#   make libro    → crea .venv, instala todo y construye el libro en _build/html (sin red)
#   make pruebas  → ejecuta todas las pruebas (capítulos, libro, navegador)
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
# Opciones de Sphinx: avisos como errores (-W), referencias rotas (-n), y seguir para verlos todos.
OPCIONES_LIBRO := --warningiserror --nitpick --keep-going

.PHONY: libro pruebas entorno recursos navegador limpiar

$(VENV)/.instalado: requirements.txt constraints.txt lib/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

entorno: $(VENV)/.instalado

# Modelos y datos locales del curso: se entrenan una vez en la CPU (unos 5 min) y quedan en
# ~/.cache/curso_llm; las siguientes veces se cargan al instante.
recursos: entorno
	$(PY) -m curso_llm preparar

libro: entorno recursos
	$(VENV)/bin/jupyter-book build . $(OPCIONES_LIBRO)
	@echo "Libro listo: abre _build/html/index.html en tu navegador."

# Las pruebas del sitio usan el Chromium de Debian (/usr/bin/chromium), nunca una descarga.
navegador:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "Falta Chromium. Instálalo con: sudo apt-get install chromium"; exit 1; \
	fi

pruebas: entorno navegador recursos
	$(PY) -m pytest

limpiar:
	rm -rf _build

# Pruebas de mutación (mutmut) sobre curso_llm con las pruebas rápidas: un informe de benchmark,
# no parte de `make pruebas`. Lento (ver bench/MUTANTES.md); HIJOS=2 si la máquina es tuya.
HIJOS ?= 1
.PHONY: mutantes
mutantes: entorno
	$(PY) bench/mutantes.py --hijos $(HIJOS)
