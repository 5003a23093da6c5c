from . import urls_filing, urls_oversight

app_name = "risks"

urlpatterns = [*urls_filing.urlpatterns, *urls_oversight.urlpatterns]
