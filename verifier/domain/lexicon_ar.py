"""Arabic word lists: function words, negations, qualifiers, number words, months and weekdays.

Data, not code: the words are written as they are spelt in Modern Standard Arabic news text and
folded by their users (``normalisation.fold_arabic``: hamza forms, alef maqsura, ta marbuta,
tatweel, diacritics), so either spelling of a word finds them.

Sources:

* function words: the closed classes of a reference grammar (prepositions, conjunctions,
  pronouns, demonstratives, relatives, auxiliaries such as كان), as listed in
  W. Wright, *A Grammar of the Arabic Language* (3rd ed.), vol. I, and in the Arabic stopword
  lists in common use (e.g. the ``arabic`` list of NLTK's stopwords corpus); negation words are
  kept OUT of the function words on purpose, as in the English list: the pair guards read them.
* negations: the negative particles لا، لم، لن، ليس (and its forms), غير، عدم، دون/بدون
  (Wright, vol. II, "negative particles") and the verbs of denial نفى / أنكر in their common
  news forms.
* qualifiers, number words, the Syriac (Levantine/Iraqi) month names, the Gregorian
  transliterated month names used in Egypt and the Gulf, their Maghrebi forms and the weekdays:
  the standard forms, as in Wright vol. I and the month tables of the Arabic Wikipedia
  ("الأشهر الميلادية").
"""

from __future__ import annotations


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


# Function words that carry nothing for finding candidates (prepositions, conjunctions,
# pronouns, demonstratives, relatives, auxiliaries, frequent adverbs).
STOPWORDS = _words("""
    في من إلى الى على عن مع عند لدى حتى منذ مذ خلال بعد قبل بين حول نحو ضد عبر لدى تجاه وسط
    و ف ثم أو او أم بل لكن لكنّ ولكن أن أنّ إن إنّ كأن لأن لان كي لكي حيث إذ إذا اذا إذن لو لولا
    ب ل ك ال
    هو هي هم هن هما أنا انا نحن أنت انت أنتم انتم أنتن
    هذا هذه ذلك تلك هؤلاء أولئك هناك هنا ذاك
    الذي التي الذين اللذين اللتين اللواتي اللاتي اللذان اللتان ما ماذا من متى أين كيف كم لماذا
    أي أيّ كل كلّ بعض جميع أيضا أيضاً ايضا فقط قد لقد سوف س
    كان كانت كانوا يكون تكون أصبح أصبحت صار صارت ظل ظلت بات
    له لها لهم لهن به بها بهم عليه عليها عليهم فيه فيها فيهم منه منها منهم عنه عنها عنهم إليه إليها
    لدي لديه لديها عند عندما بينما حين حينما كما مثل وفق وفقا وفقاً بحسب حسب
    يا أما إما أمام خلف فوق تحت داخل خارج قرب
    ذات ذو ذي أمس اليوم الآن
""")

# Negation: particles and verbs of denial (see the module docstring).
NEGATIONS = _words("""
    لا لم لن ليس ليست ليسوا لسنا لست ليستا غير عدم دون بدون بلا
    نفى نفت نفوا ينفي تنفي ينفون نافيا نافية
    أنكر أنكرت ينكر تنكر
""")

# Negative implicatives (Karttunen 1971, "Implicative verbs"; the "implicatives" of MacCartney &
# Manning's natural logic): verbs that say their complement did not happen or is not so ("فشل
# في الوصول": did not reach; "رفض التوقيع": did not sign; "ألغى القرار": the decision no longer
# holds). A pair where one text has one and the other does not differs in polarity, as with لا.
NEGATIVE_IMPLICATIVES = _words("""
    فشل فشلت يفشل تفشل يفشلون إخفاق أخفق أخفقت
    رفض رفضت يرفض ترفض يرفضون رفضوا
    امتنع امتنعت يمتنع تمتنع امتناع
    عجز عجزت يعجز تعجز
    ألغى ألغت يلغي تلغي إلغاء
    تجاهل تجاهلت يتجاهل تتجاهل
    استبعد استبعدت يستبعد تستبعد
    يؤجل تؤجل تأجيل
    يفلت تفلت أفلت
    كذب كذبت يكذب تكذب تكذيب
""")

# Qualifier phrases, longest first, and what they mean (verifier.domain.vocabulary.Qualifier words).
QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("ما لا يقل عن", "more than"), ("ما لا يقل على", "more than"),
    ("ما لا يزيد عن", "less than"), ("ما لا يزيد على", "less than"),
    ("لا يقل عن", "more than"), ("لا يزيد عن", "less than"),
    ("ما يزيد عن", "more than"), ("ما يزيد على", "more than"), ("ما يربو على", "more than"),
    ("ما يقرب من", "about"), ("ما يقارب", "about"), ("ما يصل إلى", "less than"),
    ("على الأقل", "more than"), ("أكثر من", "more than"), ("أزيد من", "more than"),
    ("أقل من", "less than"),
    ("نحو", "about"), ("حوالي", "about"), ("حوالى", "about"), ("قرابة", "about"),
    ("زهاء", "about"),
)  # fmt: skip

# Cardinal number words (masculine and feminine forms, nominative and oblique cases).
UNITS: dict[str, int] = {
    "صفر": 0, "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6,
    "سبع": 7, "سبعة": 7, "ثمان": 8, "ثماني": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9,
    "عشر": 10, "عشرة": 10,
}  # fmt: skip
# The first word of 11 and 12 ("أحد عشر", "إحدى عشرة", "اثنا عشر"): a number only before عشر.
TEEN_UNITS: dict[str, int] = {"أحد": 1, "إحدى": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}
TEEN = _words("عشر عشرة")
TENS: dict[str, int] = {
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
}  # fmt: skip
HUNDREDS: dict[str, int] = {
    "مئة": 100, "مائة": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
    "ثلاثمئة": 300, "ثلاثمائة": 300, "أربعمئة": 400, "أربعمائة": 400, "خمسمئة": 500, "خمسمائة": 500,
    "ستمئة": 600, "ستمائة": 600, "سبعمئة": 700, "سبعمائة": 700, "ثمانمئة": 800, "ثمانمائة": 800,
    "تسعمئة": 900, "تسعمائة": 900,
}  # fmt: skip
# Words that multiply the number before them ("ثلاثة آلاف", "2.5 مليون") or stand alone as
# their value ("ألف" = 1000, "ألفين" = 2000).
SCALES: dict[str, int] = {
    "مئة": 100, "مائة": 100, "ألف": 1_000, "آلاف": 1_000, "ألفا": 1_000, "ألوف": 1_000, "الآلاف": 1_000,
    "الملايين": 1_000_000,
    "مليون": 1_000_000, "ملايين": 1_000_000, "مليونا": 1_000_000,
    "مليار": 1_000_000_000, "مليارات": 1_000_000_000, "مليارا": 1_000_000_000,
    "بليون": 1_000_000_000,
}  # fmt: skip
DUALS: dict[str, int] = {"ألفان": 2_000, "ألفين": 2_000, "مليونان": 2_000_000, "مليونين": 2_000_000}
# Plurals that give an order of magnitude: "عشرات" (tens of), "مئات" (hundreds of), "آلاف" alone.
VAGUE: dict[str, int] = {"عشرات": 10, "مئات": 100, "آلاف": 1_000, "الآلاف": 1_000, "ملايين": 1_000_000}

# Gregorian months: Syriac names (Levant, Iraq), transliterated names (Egypt, Gulf), Maghrebi forms.
MONTHS: dict[str, int] = {
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7,
    "آب": 8, "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "إبريل": 4, "ابريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12,
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7, "أوت": 8,
}  # fmt: skip
# Weekdays, Monday = 0 as Python's date.weekday().  الأحد ("the one") and الاثنين ("the two")
# are weekdays only after يوم (see AMBIGUOUS_WEEKDAYS).
WEEKDAYS: dict[str, int] = {
    "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الخميس": 3, "الجمعة": 4,
    "السبت": 5, "الأحد": 6,
}  # fmt: skip
AMBIGUOUS_WEEKDAYS = _words("الاثنين الإثنين الأحد")
DAY_WORD = "يوم"  # "يوم الخميس": on Thursday
# Relative days: offset from the publication date.
RELATIVE_DAYS: dict[str, int] = {"أمس الأول": -2, "أول أمس": -2, "أمس": -1, "البارحة": -1, "اليوم": 0, "الليلة": 0}
YEAR_WORDS = _words("عام سنة العام")  # "عام 2024"
LABEL_MARKERS = _words("رقم")  # "القرار رقم 2254": a number that names, not one that counts


def _forms(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


# Opposite predicates of news headlines: each entry is two sets of forms (verb past/present,
# masculine/feminine, verbal noun) whose meanings exclude each other; a pair of texts where one
# says a form of one side and the other a form of the other (and neither says both) is a
# possible contradiction. Hand-compiled from the antonymous verbs and verbal nouns of general
# Arabic (rise/fall, open/close, allow/ban, win/lose...), not from any corpus.
OPPOSITES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (_forms(a), _forms(b))
    for a, b in (
        ("ارتفاع ارتفع يرتفع ترتفع ارتفعت صعود صعد يصعد تصعد صعدت زيادة زاد يزيد تزيد زادت قفزة يقفز تقفز قفز"
         " مكاسب مكسب يكسب تكسب ربح يربح تربح أرباح نمو ينمو تنمو انتعاش ينتعش تنتعش يتعافى تتعافى تعافي"
         " رفع يرفع ترفع",
         "انخفاض انخفض ينخفض تنخفض انخفضت هبوط هبط يهبط تهبط هبطت تراجع يتراجع تتراجع تراجعت نقص ينقص"
         " تنقص تراجعا خسائر خسارة يخسر تخسر خسر انهيار ينهار تنهار انهار تدهور يتدهور تتدهور"
         " خفض يخفض تخفض تقليص يقلص تقلص"),
        ("فتح يفتح تفتح فتحت افتتاح يفتتح تفتتح افتتحت", "إغلاق أغلق يغلق تغلق أغلقت غلق"),
        ("سماح يسمح تسمح سمحت سمح إتاحة يتيح تتيح أتاحت",
         "منع يمنع تمنع منعت حظر يحظر تحظر حظرت"),
        ("فوز فاز يفوز تفوز فازت انتصار ينتصر تنتصر انتصرت", "خسارة خسر يخسر تخسر خسرت هزيمة يهزم تهزم هزم"),
        ("قبول قبل يقبل تقبل قبلت موافقة وافق يوافق توافق وافقت تأييد أيد يؤيد تؤيد أيدت يدعم تدعم دعم",
         "رفض رفض يرفض ترفض رفضت معارضة عارض يعارض تعارض عارضت"),
        ("إطلاق أطلق يطلق تطلق أطلقت الإفراج أفرج يفرج تفرج أفرجت", "اعتقال اعتقل يعتقل تعتقل اعتقلت احتجاز يحتجز تحتجز"),
        ("تأجيل أجل يؤجل تؤجل أجلت", "إجراء يجري تجري أجرت انطلاق انطلق ينطلق تنطلق"),
        ("بدء بدأ يبدأ تبدأ بدأت استئناف استأنف يستأنف تستأنف", "وقف أوقف يوقف توقف أوقفت إيقاف تعليق علق يعلق تعلق انتهاء"),
        ("نجاح نجح ينجح تنجح نجحت", "فشل فشل يفشل تفشل فشلت إخفاق"),
        ("إدانة أدان يدين تدين أدانت", "براءة تبرئة برأ يبرئ تبرئ برأت تكريم كرم يكرم تكرم"),
        ("مقتل قتل مصرع وفاة توفي موت", "نجاة نجا ينجو تنجو نجت"),
        ("تصعيد يصعد تصعد", "تهدئة هدوء يهدئ تهدئ"),
        ("حرب", "سلام هدنة"),
        ("تعيين عين يعين تعين", "إقالة أقال يقيل تقيل أقالت عزل يعزل تعزل استقالة استقال يستقيل تستقيل"),
        ("دخول دخل يدخل تدخل", "خروج خرج يخرج تخرج انسحاب انسحب ينسحب تنسحب انسحبت"),
        ("تقدم تقدم يتقدم تتقدم", "تأخر تأخر يتأخر تتأخر"),
        ("أكبر أعلى أكثر", "أصغر أدنى أقل"),
        ("يؤكد تؤكد أكد أكدت تأكيد", "ينفي تنفي نفى نفت نفي"),
        ("استيراد يستورد تستورد", "تصدير يصدر تصدر"),
        ("شراء يشتري تشتري اشترى", "بيع يبيع تبيع باع"),
        ("الشمالية شمال شمالي", "الجنوبية جنوب جنوبي"),
        ("الشرقية شرق شرقي", "الغربية غرب غربي"),
        ("يستمر تستمر استمرار استمر يواصل تواصل مواصلة", "يتوقف تتوقف توقف انتهى ينتهي تنتهي"),
        ("ضعف ضعيف", "قوة قوي"),
        ("يسمح تسمح", "يمنع تمنع"),
        ("ترحيب رحب يرحب ترحب", "انتقاد انتقد ينتقد تنتقد تنديد ندد يندد تندد"),
    )
)

# Places and peoples of Middle East news (a country with its capital and nationality adjective,
# one group per line): two texts alike but for names of different groups speak of different
# places or actors. Hand-compiled (the member states of the Arab League and the powers most
# named in its news), not from any corpus.
PLACES: tuple[frozenset[str], ...] = tuple(
    _forms(line)
    for line in """
    سوريا سورية السوري السورية سوري دمشق
    العراق العراقي العراقية عراقي عراقية بغداد
    لبنان اللبناني اللبنانية لبناني لبنانية بيروت
    الأردن الأردني الأردنية أردني الأردنى عمان
    فلسطين الفلسطيني الفلسطينية فلسطيني فلسطينية غزة رام الله
    إسرائيل الإسرائيلي الإسرائيلية إسرائيلي إسرائيلية تل أبيب
    مصر المصري المصرية مصري مصرية القاهرة
    السعودية السعودي سعودي سعودية الرياض المملكة
    الإمارات الإماراتي الإماراتية إماراتي دبي أبوظبي
    قطر القطري القطرية قطري الدوحة
    الكويت الكويتي الكويتية كويتي
    البحرين البحريني البحرينية
    اليمن اليمني اليمنية يمني صنعاء عدن
    ليبيا الليبي الليبية ليبي طرابلس
    تونس التونسي التونسية تونسي
    الجزائر الجزائري الجزائرية جزائري
    المغرب المغربي المغربية مغربي الرباط
    السودان السوداني السودانية سوداني الخرطوم
    إيران الإيراني الإيرانية إيراني إيرانية طهران
    تركيا التركي التركية تركي أنقرة إسطنبول الأتراك
    روسيا الروسي الروسية روسي موسكو الكرملين
    الصين الصيني الصينية صيني بكين
    أمريكا أميركا الأمريكي الأميركي الأمريكية الأميركية أمريكي أميركي واشنطن المتحدة
    فرنسا الفرنسي الفرنسية فرنسي باريس
    بريطانيا البريطاني البريطانية بريطاني لندن
    ألمانيا الألماني الألمانية ألماني برلين
    اليابان الياباني اليابانية ياباني طوكيو
    الهند الهندي الهندية هندي
    باكستان الباكستاني الباكستانية
    أفغانستان الأفغاني الأفغانية
    أوروبا الأوروبي الأوروبية أوروبي
    أفريقيا إفريقيا الأفريقي الأفريقية
    كوريا الكوري الكورية
    إيطاليا الإيطالي الإيطالية روما
    إسبانيا الإسباني الإسبانية مدريد
    كندا الكندي الكندية
    البرازيل البرازيلي البرازيلية برازيلي
    ترامب
    بوتين
    أردوغان
    روحاني
    ماكرون
    ميركل
    نتنياهو
    """.strip().splitlines()
)
