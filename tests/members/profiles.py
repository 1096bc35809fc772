"""Members with profiles, photos and the viewers of each role, for the profile tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kizuna.core.images import clean_photo
from kizuna.members import actions
from kizuna.members.models import Role, Visibility

from ..factories import MemberFactory

# Who sees a value at each level on someone else's profile page (the owner always does).
SEEN = {
    Visibility.MEMBERS: {"alumni", "employee", "admin"},
    Visibility.ALUMNI: {"alumni", "admin"},
    Visibility.EMPLOYEES: {"employee", "admin"},
    Visibility.ADMINS: {"admin"},
    Visibility.ME: set(),
}


def image_upload(name="face.png", color="teal", size=(64, 48), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def give_photo(member):
    return actions.do_set_photo(member, clean_photo(image_upload()))


def viewers():
    """One signed-in client per role that looks at other members' profiles."""
    roles = {"alumni": Role.ALUMNI, "employee": Role.EMPLOYEE, "admin": Role.ADMIN}
    return {name: client_for(MemberFactory(role=role)) for name, role in roles.items()}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client
