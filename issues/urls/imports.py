from django.urls import path

from issues.views import dfo_answers, imports

urlpatterns = [
    path("import/", imports.upload, name="import_upload"),
    path("import/<int:upload_id>/", imports.mapping, name="import_mapping"),
    path("import/batch/<int:batch_id>/", imports.batch, name="import_batch"),
    path("import/dfo/", dfo_answers.upload, name="dfo_answers_upload"),
    path("import/dfo/<int:upload_id>/", dfo_answers.diff, name="dfo_answers_diff"),
]
