"""What mypy needs to know of the compiled record reader (_records.pyx), which it cannot read."""

from lxml import etree

from .parse import Rows

BUILT_WITH_LXML: str  # the lxml release the module was compiled against

def article(elem: etree._Element, rows: Rows) -> str: ...
