"""Training evaluation: anonymous learner responses in, a cohort report (HTML and PDF) out.

``response``
    the response file format and its checks (stdlib only: the live widget uses it);
``readers``
    JSON files and the CSV layout, every bad file or row listed and skipped;
``statistics``
    pure functions: means, distributions, the anonymity rule, shuffled comments;
``charts``, ``render``, ``build``
    matplotlib charts, the Jinja2 page and PDF, and writing the files.

Only ``response`` is imported by the live path; the rest is imported lazily.
"""
