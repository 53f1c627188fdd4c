from django.urls import path

from issues.views import imports

urlpatterns = [
    path("import/", imports.upload, name="import_upload"),
    path("import/<int:upload_id>/", imports.mapping, name="import_mapping"),
    path("import/batch/<int:batch_id>/", imports.batch, name="import_batch"),
]
