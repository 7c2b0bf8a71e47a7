"""factory_boy factories. Territories are never created here: they are the real ones loaded
once per session (see conftest.py). Themes, stages, legal forms and support types come from
the data migrations and are fetched by slug."""

import factory
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from collectivites.models import Scheme, SupportType, Territory, TerritoryKind
from directory.models import (
    Experience,
    LegalForm,
    Member,
    MemberCategory,
    NationalCallAward,
    Ptce,
    PtceStatus,
    Stage,
    Support,
    Theme,
)


# --- real territories -------------------------------------------------------------------
def territory(kind, code):
    return Territory.objects.get(kind=kind, code=code)


def commune(code):
    return territory(TerritoryKind.COMMUNE, code)


def departement(code):
    return territory(TerritoryKind.DEPARTEMENT, code)


def epci(code):
    return territory(TerritoryKind.EPCI, code)


def region(code):
    return territory(TerritoryKind.REGION, code)


def commune_departement_of(commune_territory):
    return commune_territory.ancestors.get(kind=TerritoryKind.DEPARTEMENT)


# --- reference lists (from data migrations) ---------------------------------------------
def theme(slug):
    return Theme.objects.get(slug=slug)


def stage(slug):
    return Stage.objects.get(slug=slug)


def legal_form(slug):
    return LegalForm.objects.get(slug=slug)


def support_type(slug):
    return SupportType.objects.get(slug=slug)


# --- factories --------------------------------------------------------------------------
class PtceFactory(DjangoModelFactory):
    """``PtceFactory(commune_code="03095")`` seats the PTCE in Cusset (département derived);
    ``PtceFactory(departement_code="60")`` gives a PTCE known only by its département;
    ``themes=["culture"]`` attaches themes by slug."""

    class Meta:
        model = Ptce
        skip_postgeneration_save = True

    class Params:
        commune_code = None
        departement_code = "03"

    name = factory.Sequence(lambda n: f"Pôle de coopération n°{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    summary = "Un pôle qui fait coopérer les acteurs de son territoire."
    description = factory.LazyAttribute(lambda o: f"Présentation de {o.name}.")
    status = PtceStatus.PUBLISHED
    source = "Jeu de test"
    seat_commune = factory.LazyAttribute(
        lambda o: commune(o.commune_code) if o.commune_code else None
    )
    departement = factory.LazyAttribute(
        lambda o: (
            commune_departement_of(o.seat_commune)
            if o.seat_commune
            else departement(o.departement_code)
        )
    )

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set([theme(slug) for slug in extracted])

    @factory.post_generation
    def action_territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.action_territories.set(extracted)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    ptce = factory.SubFactory(PtceFactory)
    name = factory.Sequence(lambda n: f"Structure membre n°{n}")
    category = MemberCategory.ESS


class NationalCallAwardFactory(DjangoModelFactory):
    class Meta:
        model = NationalCallAward

    ptce = factory.SubFactory(PtceFactory)
    name = "AMI PTCE émergents"
    year = 2021


class SupportFactory(DjangoModelFactory):
    class Meta:
        model = Support

    ptce = factory.SubFactory(PtceFactory)
    collectivite = factory.LazyAttribute(lambda o: o.ptce.departement)
    support_type = factory.LazyFunction(lambda: support_type("conseil-ingenierie"))
    description = "Appui en ingénierie."
    source = "Jeu de test"
    status = PtceStatus.PUBLISHED


class ExperienceFactory(DjangoModelFactory):
    class Meta:
        model = Experience
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"experience-{n}")
    title = factory.Sequence(lambda n: f"Retour d'expérience n°{n}")
    collectivite = factory.LazyFunction(lambda: departement("03"))
    summary = "Ce que la collectivité a fait."
    source = "Jeu de test"
    status = PtceStatus.PUBLISHED

    @factory.post_generation
    def support_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.support_types.set([support_type(slug) for slug in extracted])


class SchemeFactory(DjangoModelFactory):
    class Meta:
        model = Scheme
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"dispositif-{n}")
    name = factory.Sequence(lambda n: f"Dispositif n°{n}")
    owner = factory.LazyFunction(lambda: region("84"))
    description = "Un dispositif de soutien aux PTCE."
    source = "Jeu de test"

    @factory.post_generation
    def support_types(self, create, extracted, **kwargs):
        if create and extracted:
            self.support_types.set([support_type(slug) for slug in extracted])
