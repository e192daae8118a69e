from django.db import models


class Visit(models.Model):
    """A client's visit to the showroom: the one thing this throw-away app records."""

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    room = models.CharField(max_length=100)

    class Meta:
        permissions = [("log_visit", "Can log a visit")]

    def __str__(self) -> str:
        return self.room
