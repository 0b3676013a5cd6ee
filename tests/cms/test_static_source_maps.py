"""Every source map a static file names is shipped beside it: collectstatic's manifest storage
(production) refuses a reference to a missing file, which only CI's collectstatic would find."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "static"
SOURCE_MAP = re.compile(r"sourceMappingURL=([^\s*]+)")


def test_every_source_map_named_in_a_static_file_exists():
    missing = []
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in {".js", ".css"}:
            continue
        for name in SOURCE_MAP.findall(path.read_text(errors="replace")):
            if not name.startswith("data:") and not (path.parent / name).exists():
                missing.append(f"{path.relative_to(ROOT)} names {name}")
    assert missing == []
