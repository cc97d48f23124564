"""Every sampler by its snake_case name, for the CLI and the comparison engine."""

import re

# Names users type that differ from the plain snake_case of the class.
_ALIASES = {
    "RandomOverSampler": "random_over",
    "RandomUnderSampler": "random_under",
    "SVMSMOTE": "svm_smote",
    "KMeansSMOTE": "kmeans_smote",
    "SMOTEENN": "smote_enn",
}


def snake_case(class_name):
    """``BorderlineSMOTE`` -> ``borderline_smote``; ``SMOTENC`` -> ``smotenc``."""
    if class_name in _ALIASES:
        return _ALIASES[class_name]
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|[A-Z]+|\d+", class_name)
    return "_".join(w.lower() for w in words)


def available_samplers():
    """Return ``{snake_case name: sampler class}`` for every public sampler."""
    from . import over_sampling, under_sampling

    modules = [over_sampling, under_sampling]
    try:
        from . import combine

        modules.append(combine)
    except ImportError:  # the combine subpackage is optional while it is being built
        pass
    found = {}
    for module in modules:
        for name in module.__all__:
            found[snake_case(name)] = getattr(module, name)
    return dict(sorted(found.items()))
