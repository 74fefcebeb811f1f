"""Build the optional native record reader (evidence/_records.pyx).

Everything else is declared in pyproject.toml. The extension reads libxml2's node structs
through the headers lxml ships, so it is compiled against the lxml in the build environment.
It is optional: where no C compiler is found the build goes on without it and
``evidence.read_pubmed`` uses its pure-Python reader (same tables, about 2x slower).
"""

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

extension = Extension(
    "evidence._records",
    ["evidence/_records.pyx"],
    include_dirs=lxml.get_include(),
    optional=True,
)
setup(ext_modules=cythonize([extension], compiler_directives={"language_level": "3"}))
