"""Signals the apps above campaign listen to (they may not be imported here).

* ``stage_started(sender=Stage, stage, by)``: e.g. the risks app creates a
  filing for every person and section when the find-risks stage starts.
* ``campaign_created(sender=Campaign, campaign, previous, by)``: e.g. the
  powers app copies last year's catalogue.
"""

from django.dispatch import Signal

stage_started = Signal()
stage_completed = Signal()
campaign_created = Signal()
