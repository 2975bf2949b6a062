# LLMs sin barreras: las dos órdenes del README.
#   make libro    → crea .venv, instala todo y construye el libro en _build/html (sin red)
#   make pruebas  → ejecuta todas las pruebas (capítulos, libro, navegador)
# Y tres de servicio:
#   make espacio      → muestra qué escribió el curso en tu disco y cuánto ocupa
#   make limpiar      → borra el libro construido (_build)
#   make borrar-todo  → borra todo lo que escribió el curso (lo que muestra make espacio)
#
# Variables que puedes fijar (make libro PYTHON=/usr/bin/python3.12):
#   PYTHON        el Python con el que crear .venv; sin fijarlo, el primero que sirva de
#                 python3.11, python3.12, python3.13 y python3 (herramientas/elegir_python.sh)
#   TORCH_INDICE  el índice del que sale torch. En Linux, por defecto el de CPU de PyTorch
#                 (sin él, PyPI da la versión CUDA: varios GB); vacío (TORCH_INDICE=), el
#                 índice por defecto de pip. En macOS no se fija: PyPI ya da la de CPU/MPS.
# Solo GNU make 3.81 (el de macOS) o posterior y sh POSIX.
PYTHON ?=
VENV   := .venv
PY     := $(VENV)/bin/python
SO     := $(shell uname -s)
ifeq ($(SO),Linux)
TORCH_INDICE ?= https://download.pytorch.org/whl/cpu
endif
TORCH  := $(shell grep '^torch==' requirements.txt)
# Opciones de Sphinx: avisos como errores (-W), referencias rotas (-n), y seguir para verlos todos.
OPCIONES_LIBRO := --warningiserror --nitpick --keep-going

.PHONY: libro pruebas entorno recursos navegador versiones espacio limpiar borrar-todo

# Un .venv que ya existe se reutiliza; con PYTHON= de otra versión que la suya, se rehace.
ifneq ($(strip $(PYTHON)),)
ifneq ($(shell $(PY) -c 'import sys; print(sys.version_info[:2])' 2>/dev/null),$(shell "$(PYTHON)" -c 'import sys; print(sys.version_info[:2])' 2>/dev/null))
$(VENV)/.instalado: .FORZAR
endif
endif
.FORZAR:

# torch va primero y aparte (--no-deps): de TORCH_INDICE, con reintentos cortos. Si ese índice
# no responde, torch sale del índice por defecto en el paso siguiente, con todo lo demás.
$(VENV)/.instalado: requirements.txt constraints.txt lib/pyproject.toml
	@if [ -z "$(PYTHON)" ] && $(PY) -V >/dev/null 2>&1; then \
	  echo "Uso el entorno que ya existe: $(VENV) ($$($(PY) -V 2>&1))."; \
	else \
	  python=$$(sh herramientas/elegir_python.sh "$(PYTHON)") || exit 1; \
	  echo "Creo $(VENV) con $$python ($$("$$python" -V 2>&1))."; \
	  "$$python" -m venv --clear $(VENV) || exit 1; \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	@if [ -n "$(TORCH_INDICE)" ]; then \
	  echo "Instalo $(TORCH) desde $(TORCH_INDICE)…"; \
	  if $(PY) -m pip install --quiet --no-deps --retries 1 --timeout 15 \
	       --index-url "$(TORCH_INDICE)" "$(TORCH)" >$(VENV)/torch.log 2>&1; then \
	    echo "torch $$($(PY) -c 'from importlib.metadata import version; print(version("torch"))') instalado."; \
	  else \
	    echo "No pude instalar torch desde $(TORCH_INDICE) (detalles en $(VENV)/torch.log): sale del índice por defecto."; \
	  fi; \
	fi
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

# Chromium para las pruebas del sitio: el del sistema; si no hay, apt-get (root en Debian) o el
# de Playwright. Si no se puede, no corta: pytest omite esas pruebas y dice cuántas y por qué.
navegador: entorno
	@$(PY) tests/buscar_chromium.py --instalar $(VENV)/navegador.log

pruebas: entorno navegador recursos
	$(PY) -m pytest

# Que los pines resuelvan con Python 3.11, 3.12 y 3.13 (también corre dentro de make pruebas).
versiones: entorno
	$(PY) -m pytest -q tests/test_portatil.py -k resuelven

# Con cualquier Python 3 (es solo biblioteca estándar), mejor uno de fuera de .venv, que se borra.
CUALQUIER_PYTHON = $$(sh herramientas/elegir_python.sh 2>/dev/null || command -v python3 || echo $(PY))

espacio:
	@$(CUALQUIER_PYTHON) herramientas/borrar_todo.py --mostrar

limpiar:
	rm -rf _build

borrar-todo:
	@$(CUALQUIER_PYTHON) herramientas/borrar_todo.py

# Pruebas de mutación (mutmut) sobre curso_llm con las pruebas rápidas: un informe de benchmark,
# no parte de `make pruebas`. Lento (ver bench/MUTANTES.md); HIJOS=2 si la máquina es tuya.
HIJOS ?= 1
.PHONY: mutantes
mutantes: entorno
	$(PY) bench/mutantes.py --hijos $(HIJOS)
