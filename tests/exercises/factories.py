import factory

from exercises.models import Exercise, LanguageProfile, Topic

PAYLOADS = {
    "choice": {"options": ["maizi", "maize", "maizes"], "answer": "maizi"},
    "cloze": {"text": "Es ___ maizi un ___.", "blanks": [["pērku"], ["sāli"]]},
    "translate": {
        "source": {"en": "I want to learn", "uk": "Я хочу вчитися"},
        "answers": ["Es gribu mācīties", "Gribu mācīties"],
    },
    "order": {
        "words": ["Rīgā", "dzīvoju", "Es"],
        "answers": ["Es dzīvoju Rīgā", "Rīgā es dzīvoju"],
    },
    "match": {"pairs": [["maize", "bread"], ["piens", "milk"], ["sāls", "salt"]]},
    "reading": {
        "title": "Paziņojums iedzīvotājiem",
        "text": (
            "Cienījamie iedzīvotāji!\n"
            "No 3. līdz 5. martam lifts nestrādās.\n"
            "Jautājumus lūdzam uzdot pārvaldniekam pa tālruni 67000000."
        ),
        "questions": [
            {
                "prompt": "Kad nestrādās lifts?",
                "options": ["no 3. līdz 5. martam", "visu martu", "3. aprīlī"],
                "answer": "no 3. līdz 5. martam",
            },
            {
                "prompt": "Kam jāuzdod jautājumi?",
                "answers": ["pārvaldniekam", "[nama|mājas] pārvaldniekam"],
            },
            {
                "prompt": "Kas nestrādās?",
                "options": ["lifts", "zvans", "apkure"],
                "answer": "lifts",
            },
        ],
    },
}


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.LazyAttribute(lambda o: {"en": o.slug.title(), "lv": o.slug})


class LatvianProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LanguageProfile
        django_get_or_create = ("language",)

    language = "lv"
    name = {"en": "Latvian"}
    diacritics = "āčēģīķļņšūž"
    confusables = [["lapa", "lāpa"], ["sals", "sāls"]]


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    key = factory.Sequence(lambda n: f"test-{n:04d}")
    language = "lv"
    level = "A1"
    topic = factory.SubFactory(TopicFactory, slug="shopping")
    kind = "choice"
    prompt = "Es gribu nopirkt ___."
    instructions = {"en": "Do it.", "uk": "Зробіть це.", "lv": "Dariet to."}
    explanation = {"en": "Because."}
    payload = factory.LazyAttribute(lambda o: PAYLOADS[o.kind])
