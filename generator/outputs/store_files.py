"""Each version's app store labels as files of the site, under api/v1/versions/<id>/store/."""
from __future__ import annotations

from generator.core import store_labels
from generator.core.model import Version
from generator.core.store_labels import StoreMapping
from generator.outputs.routes import store_label_path

MANIFEST = "PrivacyInfo.xcprivacy"  # the name Xcode looks for in an app's bundle
DATA_SAFETY = "data-safety.csv"


def labels(version: Version, mapping: StoreMapping) -> dict[str, bytes]:
    """One version's labels by file name; none where it states no processing."""
    if version.processing is None:
        return {}
    return {MANIFEST: store_labels.privacy_manifest(version.processing, mapping),
            DATA_SAFETY: store_labels.data_safety(version.processing, mapping)}


def store_label_files(versions: tuple[Version, ...], mapping: StoreMapping | None
                      ) -> dict[str, bytes]:
    """Every version's labels by their path in the site; none without a mapping."""
    if mapping is None:
        return {}
    return {store_label_path(version.id, name): content for version in versions
            for name, content in labels(version, mapping).items()}
