"""Security checks (issue #9, part 4), all in one world of two units
(``world.py``, built once per module):

* ``test_routes.py`` — from the URL configuration (``routes.py``): every
  route as every role (access, no 500, no unescaped markup, nothing of the
  confidential petition), POST-only routes, CSRF on every POST, no
  ``csrf_exempt`` view;
* ``test_markup.py`` — typed markup shown escaped on the pages that show it,
  written as text in the exports, formula-like cells stored as text;
* ``test_confidential.py`` — the petition in counts, inboxes, e-mails,
  export rows, for a recused office head, in the admin;
* ``test_uploads.py`` — wrong or too large files refused in Chinese, random
  stored names, no URL for MEDIA_ROOT, downloads only through the views;
* ``test_login_lockout.py`` — sign-in lockout through the real forms.

``manage.py check --deploy`` with production settings: ``tests/test_deploy_check.py``.
"""
