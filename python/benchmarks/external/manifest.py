"""What the external corpus is made of: pinned registry packages and the documents taken from them.

The corpus exists so that KTOF's savings are measured on JSON this project did not write (the
generated datasets in ``benchmarks/datasets.py`` share the author's blind spots). Nothing fetched
is committed: this manifest names each package at an exact version with the sha256 of its
archive, and each document as a file inside it plus an optional selector, so ``corpus.py`` can
rebuild byte-identical documents anywhere PyPI and npm are reachable.

Selectors are deliberately tiny: a JSON pointer (RFC 6901) to a sub-value and a ``rows`` cap
(the first N items of a list, or the first N keys of an object). The caps keep every document
at most ~200 KB of compact JSON, so a whole benchmark run stays in minutes.

Shapes (the four the issue asks for):

* ``table``: flat uniform records (every row has the same keys, scalar cells);
* ``optional_keys``: records whose keys vary from row to row (absent, not null), or small
  nested cells;
* ``nested_api``: recorded or documented web API responses and webhook payloads;
* ``config_spec``: configuration files and specifications (JSON Schema, OpenAPI, AWS service
  models, tsconfig, package.json, compatibility data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ENTRIES", "PACKAGES", "SHAPES", "Entry", "Package", "Shape"]

Shape = Literal["table", "optional_keys", "nested_api", "config_spec"]
SHAPES: tuple[Shape, ...] = ("table", "optional_keys", "nested_api", "config_spec")


@dataclass(frozen=True)
class Package:
    """One registry archive, pinned by version and by the sha256 of the downloaded file."""

    key: str  # short id used in document names
    registry: Literal["npm", "pypi"]
    name: str
    version: str
    licence: str  # SPDX id of the package (a document may name its data's own licence)
    sha256: str  # of the .tgz (npm pack) or .whl (pip download)


@dataclass(frozen=True)
class Entry:
    """One document: a file inside a package, optionally narrowed by ``pointer`` and ``rows``."""

    name: str  # unique, "<package key>/<label>"
    package: Package
    path: str  # member path inside the archive (".gz" members are gunzipped)
    shape: Shape
    pointer: str = ""  # RFC 6901 JSON pointer into the file; "" = the whole file
    rows: int | None = None  # keep the first N list items / object keys
    licence: str = ""  # the data's own licence when it differs from the package's


def _pkg(
    key: str, registry: Literal["npm", "pypi"], name: str, version: str, lic: str, sha: str
) -> Package:
    return Package(key, registry, name, version, lic, sha)


VEGA = _pkg(
    "vega",
    "npm",
    "vega-datasets",
    "3.2.1",
    "BSD-3-Clause",
    "6f72fda460a9863fae5fcb32f85bcd49e1761fdea6dc6cf9f4962472881cc5a3",
)
PYCOUNTRY = _pkg(
    "pycountry",
    "pypi",
    "pycountry",
    "26.2.16",
    "LGPL-2.1-only",
    "115c4baf7cceaa30f59a4694d79483c9167dbce7a9de4d3d571c5f3ea77c305a",
)
BOTOCORE = _pkg(
    "botocore",
    "pypi",
    "botocore",
    "1.44.8",
    "Apache-2.0",
    "76342a76c338701db80dcb8afe1c9bd079283d6fffbb9d881442abb02a215043",
)
JSONSCHEMA = _pkg(
    "jsonschema",
    "pypi",
    "jsonschema-specifications",
    "2025.9.1",
    "MIT",
    "98802fee3a11ee76ecaca44429fda8a41bff98b00a0f2838151b113f210cc6fe",
)
FIXTURES = _pkg(
    "octokit-fixtures",
    "npm",
    "@octokit/fixtures",
    "23.1.2",
    "MIT",
    "5a9b0221d7c18f593dc57b5f292e946e8cadfac2b0d4578b38d7e9bd63836c64",
)
OPENAPI = _pkg(
    "octokit-openapi",
    "npm",
    "@octokit/openapi",
    "23.0.2",
    "MIT",
    "71a18407dd5e8464f4e0525daf03deabbe65abd9287d6adc7b5d98f516cd0d0c",
)
WEBHOOKS = _pkg(
    "octokit-webhooks",
    "npm",
    "@octokit/webhooks-examples",
    "7.6.1",
    "MIT",
    "89e6cb1c6345d32e3dd775617fa54effbdc26c859e514898d7728e95e9738280",
)
EMOJIBASE = _pkg(
    "emojibase",
    "npm",
    "emojibase-data",
    "17.0.0",
    "MIT",
    "d01d0e2ca4e22cb402679532155342c71e2e871f25c32223c013b8b166ebdf5a",
)
EMOJI_DS = _pkg(
    "emoji-datasource",
    "npm",
    "emoji-datasource",
    "16.0.0",
    "MIT",
    "2006725061dc0098daa832d65f854a7bec0740af2eb47cb5b23d89f7e2c849f9",
)
MIME_DB = _pkg(
    "mime-db",
    "npm",
    "mime-db",
    "1.54.0",
    "MIT",
    "2b21054e65d0eabd58c5002d2713e968dd47b15700bfed4b7281a344ded1c420",
)
BCD = _pkg(
    "mdn-bcd",
    "npm",
    "@mdn/browser-compat-data",
    "8.1.9",
    "CC0-1.0",
    "c99eff2b2ebf5ead405de12ed3bd7f40534bcb9966ca4a7679b01335146b472c",
)
SIMPLE_ICONS = _pkg(
    "simple-icons",
    "npm",
    "simple-icons",
    "16.37.0",
    "CC0-1.0",
    "cd9faf0e6faa8a8fdd15e9632ab4c86fcae4b986fe552b87673149847f2f671d",
)
NODE_RELEASES = _pkg(
    "node-releases",
    "npm",
    "node-releases",
    "2.0.66",
    "MIT",
    "4e994ba5e1075125c85dadcb39beea530a92ab80d5c1c1f5d1f11cd54e00f156",
)
TIMEZONES = _pkg(
    "timezones",
    "npm",
    "timezones.json",
    "1.7.2",
    "MIT",
    "98145ecc025100e7723ec8630bfd7c1801263f7dde82b6e664dd99e0e77e85f7",
)
TSCONFIG = _pkg(
    "tsconfig",
    "npm",
    "@tsconfig/bases",
    "1.0.26",
    "MIT",
    "8f43ba97a9264f594b118068ab02d706c596d2e86a7d0590b5960fd1dc28b5af",
)
SUBTAGS = _pkg(
    "subtags",
    "npm",
    "language-subtag-registry",
    "0.4.2",
    "CC0-1.0",
    "eed19742980e16d482b56cf01604d5a0e80d43646e95740de2a99d5e85771ed8",
)
DEVICON = _pkg(
    "devicon",
    "npm",
    "devicon",
    "2.17.0",
    "MIT",
    "e611f56ef1eeb17c00940f970d44d8ca086439ae7892b496a46b81a7f9a38d5a",
)
REGIONS = _pkg(
    "country-region",
    "npm",
    "country-region-data",
    "4.1.0",
    "MIT",
    "cc9f2a18511dc17cc6575af941061b849754857ff4fb6112033cb3a9a0b2044c",
)
LICENSEDB = _pkg(
    "license-expression",
    "pypi",
    "license-expression",
    "30.4.4",
    "Apache-2.0",
    "421788fdcadb41f049d2dc934ce666626265aeccefddd25e162a26f23bcbf8a4",
)

PACKAGES: tuple[Package, ...] = (
    VEGA,
    PYCOUNTRY,
    BOTOCORE,
    JSONSCHEMA,
    FIXTURES,
    OPENAPI,
    WEBHOOKS,
    EMOJIBASE,
    EMOJI_DS,
    MIME_DB,
    BCD,
    SIMPLE_ICONS,
    NODE_RELEASES,
    TIMEZONES,
    TSCONFIG,
    SUBTAGS,
    DEVICON,
    REGIONS,
    LICENSEDB,
)


def _ptr(*parts: str | int) -> str:
    """An RFC 6901 pointer from raw keys (escapes "~" and "/")."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


_entries: list[Entry] = []  # filled by _add below, frozen into ENTRIES at the end


def _add(
    pkg: Package,
    label: str,
    path: str,
    shape: Shape,
    pointer: str = "",
    rows: int | None = None,
    licence: str = "",
) -> None:
    _entries.append(Entry(f"{pkg.key}/{label}", pkg, path, shape, pointer, rows, licence))


# ----------------------------------------------------------------------------- tables
# vega-datasets: (file stem, rows cap, the dataset's own licence from its datapackage.json).
_VEGA_TABLES: tuple[tuple[str, int | None, str], ...] = (
    ("anscombe", None, "unspecified (Anscombe 1973, via Wikipedia)"),
    ("barley", None, "unspecified (Minnesota Agricultural Experiment Station)"),
    ("budget", 60, "U.S. Government work"),
    ("budgets", None, "U.S. Government work"),
    ("burtin", None, "BSD (via Protovis)"),
    ("cars", None, "StatLib (educational and scientific use)"),
    ("crimea", None, "Harvard Library digitized content terms"),
    ("driving", None, "unspecified (NYT / U.S. EIA)"),
    ("flare-dependencies", None, "BSD-3-Clause (vega-datasets)"),
    ("flights-2k", None, "U.S. DOT data, terms not specified"),
    ("football", 1100, "CC0-1.0 (openfootball)"),
    ("gapminder", None, "CC-BY-4.0 (Gapminder)"),
    ("income", None, "U.S. Census Bureau terms"),
    ("jobs", 1500, "IPUMS terms of use"),
    ("londonCentroids", None, "OGL-UK-3.0"),
    ("movies", 450, "unspecified (vega-datasets)"),
    ("obesity", None, "U.S. Government work"),
    ("ohlc", None, "unspecified (Yahoo Finance VIX)"),
    ("penguins", None, "CC0-1.0 (palmerpenguins)"),
    ("platformer-terrain", 1000, "unspecified (Celeste game data)"),
    ("political-contributions", None, "CC0-1.0 (FEC bulk data)"),
    ("population", None, "IPUMS terms of use"),
    ("udistrict", None, "unspecified (vega-datasets)"),
    ("unemployment-across-industries", None, "U.S. Government work"),
    ("us-state-capitals", None, "U.S. Public Domain (USGS)"),
)
for _stem, _rows, _lic in _VEGA_TABLES:
    _add(VEGA, _stem, f"package/data/{_stem}.json", "table", rows=_rows, licence=_lic)
_add(
    VEGA,
    "miserables-nodes",
    "package/data/miserables.json",
    "table",
    _ptr("nodes"),
    licence="unspecified (Knuth, Stanford GraphBase)",
)
_add(
    VEGA,
    "miserables-links",
    "package/data/miserables.json",
    "table",
    _ptr("links"),
    licence="unspecified (Knuth, Stanford GraphBase)",
)
# pycountry files are {"<standard>": [records]}: the pointer takes the list.
for _db in ("iso15924", "iso4217", "iso639-5"):
    _add(PYCOUNTRY, _db, f"pycountry/databases/{_db}.json", "table", _ptr(_db[3:]))
_add(NODE_RELEASES, "envs", "package/data/processed/envs.json", "table")
_add(TIMEZONES, "timezones", "package/timezones.json", "table")

# ----------------------------------------------------------------------- optional keys
for _stem, _rows, _lic in (
    ("countries", None, "CC-BY-4.0 (Gapminder)"),
    ("flare", None, "BSD-3-Clause (vega-datasets)"),
    ("monarchs", None, "OGL-UK-3.0"),
    ("wheat", None, "Public Domain (Playfair 1822)"),
    ("weekly-weather", None, "unspecified (vega-datasets)"),
):
    _add(VEGA, _stem, f"package/data/{_stem}.json", "optional_keys", rows=_rows, licence=_lic)
for _db, _rows in (
    ("iso3166-1", None),
    ("iso3166-2", 2000),
    ("iso3166-3", None),
    ("iso639-3", 1800),
):
    _add(PYCOUNTRY, _db, f"pycountry/databases/{_db}.json", "optional_keys", _ptr(_db[3:]), _rows)
_add(SIMPLE_ICONS, "icons", "package/data/simple-icons.json", "optional_keys", rows=1400)
_add(EMOJI_DS, "emoji", "package/emoji.json", "optional_keys", rows=400)
for _lang, _file, _rows in (
    ("en", "data", 280),
    ("de", "data", 280),
    ("en", "compact", 400),
    ("ja", "compact", 400),
    ("fr", "compact", 400),
):
    _add(
        EMOJIBASE,
        f"{_lang}-{_file}",
        f"package/{_lang}/{_file}.json",
        "optional_keys",
        rows=_rows,
        licence="MIT (annotations from Unicode CLDR, Unicode-3.0)",
    )
_add(MIME_DB, "db", "package/db.json", "optional_keys")
_add(SUBTAGS, "registry", "package/data/json/registry.json", "optional_keys", rows=2000)
_add(DEVICON, "devicon", "package/devicon.json", "optional_keys")
_add(REGIONS, "countries", "package/data.json", "optional_keys", rows=200)
_add(
    LICENSEDB,
    "licensedb-index",
    "license_expression/data/scancode-licensedb-index.json",
    "optional_keys",
    rows=600,
    licence="CC-BY-4.0 (ScanCode LicenseDB data)",
)

# -------------------------------------------------------------------------- nested API
# @octokit/fixtures: recorded api.github.com responses, (scenario, index in the recording).
_FIXTURE_RESPONSES: tuple[tuple[str, int], ...] = (
    ("add-and-remove-repository-collaborator", 0),
    ("add-and-remove-repository-collaborator", 3),
    ("add-and-remove-repository-collaborator", 5),
    ("add-labels-to-issue", 0),
    ("add-labels-to-issue", 1),
    ("branch-protection", 1),
    ("branch-protection", 2),
    ("create-file", 0),
    ("create-status", 0),
    ("create-status", 2),
    ("create-status", 3),
    ("get-content", 0),
    ("get-organization", 0),
    ("get-repository", 0),
    ("get-root", 0),
    ("git-refs", 0),
    ("git-refs", 3),
    ("labels", 0),
    ("paginate-issues", 0),
    ("paginate-issues", 4),
    ("project-cards", 0),
    ("project-cards", 2),
    ("release-assets-conflict", 0),
    ("release-assets", 0),
    ("release-assets", 1),
    ("rename-repository", 0),
    ("search-issues", 0),
)
for _scenario, _i in _FIXTURE_RESPONSES:
    _add(
        FIXTURES,
        f"{_scenario}-{_i}",
        f"package/scenarios/api.github.com/{_scenario}/normalized-fixture.json",
        "nested_api",
        _ptr(_i, "response"),
    )
# @octokit/webhooks-examples: the first example payload of an event, (event, index in the list).
_WEBHOOK_EVENTS: tuple[tuple[str, int], ...] = (
    ("check_run", 1),
    ("code_scanning_alert", 3),
    ("create", 5),
    ("deployment_status", 11),
    ("discussion", 12),
    ("fork", 14),
    ("issue_comment", 19),
    ("issues", 20),
    ("label", 21),
    ("package", 30),
    ("pull_request", 38),
    ("pull_request_review", 39),
    ("push", 42),
    ("release", 43),
    ("star", 50),
    ("workflow_job", 56),
    ("workflow_run", 57),
)
for _event, _i in _WEBHOOK_EVENTS:
    _add(
        WEBHOOKS, _event, "package/api.github.com/index.json", "nested_api", _ptr(_i, "examples", 0)
    )
# USGS earthquake feed (GeoJSON as served by the API), the first features.
_add(
    VEGA,
    "earthquakes-features",
    "package/data/earthquakes.json",
    "nested_api",
    _ptr("features"),
    rows=150,
    licence="U.S. Public Domain (USGS)",
)
# @octokit/openapi: GitHub's documented example responses (components/examples).
for _example in (
    "emojis-get",
    "projects-v2-item-with-content",
    "codespace-with-full-repository",
    "full-repository",
    "pull-request",
    "pull-request-simple-items",
    "list-attestations-bulk",
    "list-repository-advisories",
    "dependabot-alerts-for-organization",
    "check-suite",
    "workflow-run",
    "code-scanning-organization-alert-items",
    "commit-comparison",
    "issue-event",
):
    _add(
        OPENAPI,
        f"example-{_example}",
        "package/generated/api.github.com.json",
        "nested_api",
        _ptr("components", "examples", _example, "value"),
    )

# ------------------------------------------------------------------------- config/spec
for _draft in ("draft3", "draft4", "draft6", "draft7", "draft201909", "draft202012"):
    _add(
        JSONSCHEMA,
        f"{_draft}-metaschema",
        f"jsonschema_specifications/schemas/{_draft}/metaschema.json",
        "config_spec",
    )
for _draft, _vocab in (
    ("draft201909", "applicator"),
    ("draft201909", "core"),
    ("draft202012", "applicator"),
    ("draft202012", "validation"),
    ("draft202012", "meta-data"),
    ("draft202012", "unevaluated"),
):
    _add(
        JSONSCHEMA,
        f"{_draft}-{_vocab}",
        f"jsonschema_specifications/schemas/{_draft}/vocabularies/{_vocab}",
        "config_spec",
    )
for _base in (
    "strictest",
    "recommended",
    "node20",
    "node22",
    "next",
    "vite-react",
    "svelte",
    "deno",
    "create-react-app",
    "react-native",
):
    _add(TSCONFIG, _base, f"package/{_base}.tsconfig.json", "config_spec")
for _pkg_ in (VEGA, SIMPLE_ICONS, OPENAPI, BCD, EMOJI_DS, TSCONFIG):
    _add(_pkg_, "package.json", "package/package.json", "config_spec")
_add(VEGA, "datapackage", "package/datapackage.json", "config_spec")
_add(SIMPLE_ICONS, "jsonschema", "package/.jsonschema.json", "config_spec")
_add(
    NODE_RELEASES,
    "release-schedule",
    "package/data/release-schedule/release-schedule.json",
    "config_spec",
)
for _service, _api in (
    ("account", "2021-02-01"),
    ("codestar-notifications", "2019-10-15"),
    ("meteringmarketplace", "2016-01-14"),
    ("nova-act", "2025-08-22"),
    ("scheduler", "2021-06-30"),
    ("lex-runtime", "2016-11-28"),
    ("rolesanywhere", "2018-05-10"),
    ("pi", "2018-02-27"),
    ("cost-optimization-hub", "2022-07-26"),
    ("kafkaconnect", "2021-09-14"),
    ("chatbot", "2017-10-11"),
    ("healthlake", "2017-07-01"),
    ("snowball", "2016-06-30"),
    ("efs", "2015-02-01"),
):
    _add(
        BOTOCORE,
        f"{_service}-service-2",
        f"botocore/data/{_service}/{_api}/service-2.json.gz",
        "config_spec",
    )
_add(
    BOTOCORE,
    "sdk-default-configuration",
    "botocore/data/sdk-default-configuration.json",
    "config_spec",
)
_add(BOTOCORE, "retry", "botocore/data/_retry.json", "config_spec")
_add(BOTOCORE, "partitions", "botocore/data/partitions.json", "config_spec")
for _path in (
    "/repos/{owner}/{repo}",
    "/repos/{owner}/{repo}/issues",
    "/repos/{owner}/{repo}/pulls",
    "/repos/{owner}/{repo}/contents/{path}",
    "/repos/{owner}/{repo}/releases",
    "/user",
    "/search/code",
    "/gists",
):
    _add(
        OPENAPI,
        f"path{_path.replace('/', '-')}",
        "package/generated/api.github.com.json",
        "config_spec",
        _ptr("paths", _path),
    )
for _schema in ("repository", "full-repository", "issue", "pull-request", "workflow-run"):
    _add(
        OPENAPI,
        f"schema-{_schema}",
        "package/generated/api.github.com.json",
        "config_spec",
        _ptr("components", "schemas", _schema),
    )
for _feature in (
    ("api", "fetch"),
    ("api", "Request"),
    ("javascript", "builtins", "Array"),
    ("html", "elements", "input"),
    ("http", "headers", "Content-Security-Policy"),
    ("css", "properties", "display"),
    ("webextensions", "api", "tabs"),
):
    _add(BCD, "-".join(_feature), "package/data.json", "config_spec", _ptr(*_feature))

ENTRIES: tuple[Entry, ...] = tuple(_entries)
