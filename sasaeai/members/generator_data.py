"""Word lists and figures for the fictitious data generator (``generator.py``).

Names are built from parts with their readings, so that every kana is right by construction.
Populations and postal ranges are approximate public figures, used only to spread the
made-up records in a plausible way.
"""

from __future__ import annotations

Reading = tuple[str, str]

# Words corporations and facilities are named after, with readings (full-width katakana).
STEMS: list[Reading] = [
    ("あけぼの", "アケボノ"), ("ひかり", "ヒカリ"), ("みのり", "ミノリ"), ("わかば", "ワカバ"),
    ("さくら", "サクラ"), ("すみれ", "スミレ"), ("ひまわり", "ヒマワリ"), ("たんぽぽ", "タンポポ"),
    ("つばさ", "ツバサ"), ("のぞみ", "ノゾミ"), ("めぐみ", "メグミ"), ("やすらぎ", "ヤスラギ"),
    ("ふれあい", "フレアイ"), ("ゆうあい", "ユウアイ"), ("あさひ", "アサヒ"), ("みどり", "ミドリ"),
    ("こすもす", "コスモス"), ("なごみ", "ナゴミ"), ("かがやき", "カガヤキ"),
    ("ほほえみ", "ホホエミ"), ("いずみ", "イズミ"), ("しらゆり", "シラユリ"),
    ("はるかぜ", "ハルカゼ"), ("そよかぜ", "ソヨカゼ"),
    ("清心", "セイシン"), ("慈愛", "ジアイ"), ("博愛", "ハクアイ"), ("仁風", "ジンプウ"),
    ("光明", "コウミョウ"), ("敬愛", "ケイアイ"), ("和光", "ワコウ"), ("平和", "ヘイワ"),
    ("松風", "マツカゼ"), ("若竹", "ワカタケ"), ("青葉", "アオバ"), ("白梅", "シラウメ"),
    ("紅梅", "コウバイ"), ("朝日", "アサヒ"), ("大樹", "タイジュ"), ("緑風", "リョクフウ"),
    ("陽光", "ヨウコウ"), ("愛光", "アイコウ"), ("寿楽", "ジュラク"), ("福寿", "フクジュ"),
    ("栄光", "エイコウ"), ("恵風", "ケイフウ"), ("瑞穂", "ミズホ"), ("希望", "キボウ"),
]  # fmt: skip

# Okayama's own words, for Okayama's corporations only.
OKAYAMA_STEMS: list[Reading] = [
    ("吉備", "キビ"), ("桃太郎", "モモタロウ"), ("旭川", "アサヒガワ"), ("後楽", "コウラク"),
    ("操山", "ミサオヤマ"), ("龍之口", "タツノクチ"), ("鶴山", "カクザン"), ("蒜山", "ヒルゼン"),
    ("高梁川", "タカハシガワ"), ("吉井川", "ヨシイガワ"), ("児島", "コジマ"), ("鷲羽", "ワシュウ"),
    ("備中", "ビッチュウ"), ("作州", "サクシュウ"), ("牛窓", "ウシマド"), ("湯郷", "ユノゴウ"),
    ("閑谷", "シズタニ"), ("大原", "オオハラ"),
]  # fmt: skip

_COMMON = [("会", "カイ"), ("福祉会", "フクシカイ"), ("厚生会", "コウセイカイ")]
CORPORATION_SUFFIXES: dict[str, list[Reading]] = {
    "elderly": [*_COMMON, ("寿会", "コトブキカイ"), ("長寿会", "チョウジュカイ"),
                ("慈光会", "ジコウカイ"), ("愛生会", "アイセイカイ"), ("和楽会", "ワラクカイ")],
    "nursery": [*_COMMON, ("愛育会", "アイイクカイ"), ("保育会", "ホイクカイ"),
                ("光輝会", "コウキカイ"), ("清和会", "セイワカイ")],
    "disability": [*_COMMON, ("育成会", "イクセイカイ"), ("友愛会", "ユウアイカイ"),
                   ("恵愛会", "ケイアイカイ"), ("福祉事業会", "フクシジギョウカイ")],
    "children": [*_COMMON, ("愛育会", "アイイクカイ"), ("育成会", "イクセイカイ"),
                 ("博愛会", "ハクアイカイ"), ("報恩会", "ホウオンカイ")],
    "relief": [*_COMMON, ("報恩会", "ホウオンカイ"), ("慈光会", "ジコウカイ")],
    "other": [*_COMMON, ("福祉事業会", "フクシジギョウカイ"), ("友愛会", "ユウアイカイ")],
}  # fmt: skip

# The sector a corporation belongs to (sector group codes of the starting lists), its share of
# corporations and how many facilities it tends to run.
SECTOR_SHARES = {
    "elderly": 38, "nursery": 32, "disability": 18, "children": 5, "relief": 2, "other": 5,
}  # fmt: skip
SECTOR_SIZE = {
    "elderly": 2.2, "nursery": 0.45, "disability": 1.6, "children": 1.0, "relief": 1.2,
    "other": 0.8,
}  # fmt: skip

# Facility kinds (codes of the starting lists) a sector runs, with weights.
KIND_MIX: dict[str, dict[str, float]] = {
    "elderly": {"special-nursing-home": 3, "day-service": 4, "home-care": 3,
                "care-management": 3, "community-center": 1, "care-house": 1,
                "nursing-home": 0.5, "group-home": 0.5},
    "nursery": {"nursery": 8, "certified-kindergarten": 3},
    "disability": {"disability-support": 3, "continuous-employment-b": 4,
                   "daily-life-care": 3, "group-home": 4, "other": 1},
    "children": {"childrens-home": 3, "nursery": 3, "other": 1},
    "relief": {"relief-facility": 2, "home-care": 1, "other": 1},
    "other": {"other": 2, "day-service": 1, "nursery": 1},
}  # fmt: skip

# How facilities of a kind are named: (prefix, its reading, suffix, its reading); the stem
# goes between.
FACILITY_NAMES: dict[str, list[tuple[str, str, str, str]]] = {
    "special-nursing-home": [
        ("特別養護老人ホーム", "トクベツヨウゴロウジンホーム", "荘", "ソウ"),
        ("特別養護老人ホーム", "トクベツヨウゴロウジンホーム", "園", "エン"),
        ("特別養護老人ホーム", "トクベツヨウゴロウジンホーム", "の里", "ノサト"),
    ],
    "nursing-home": [("養護老人ホーム", "ヨウゴロウジンホーム", "寮", "リョウ")],
    "care-house": [("ケアハウス", "ケアハウス", "", "")],
    "day-service": [
        ("デイサービスセンター", "デイサービスセンター", "", ""),
        ("", "", "デイサービスセンター", "デイサービスセンター"),
    ],
    "home-care": [("", "", "ヘルパーステーション", "ヘルパーステーション")],
    "care-management": [("", "", "居宅介護支援事業所", "キョタクカイゴシエンジギョウショ")],
    "community-center": [("", "", "地域包括支援センター", "チイキホウカツシエンセンター")],
    "nursery": [("", "", "保育園", "ホイクエン")],
    "certified-kindergarten": [("認定こども園", "ニンテイコドモエン", "こども園", "コドモエン")],
    "childrens-home": [("", "", "学園", "ガクエン"), ("", "", "寮", "リョウ")],
    "disability-support": [
        ("障害者支援施設", "ショウガイシャシエンシセツ", "園", "エン"),
        ("障害者支援施設", "ショウガイシャシエンシセツ", "学園", "ガクエン"),
    ],
    "continuous-employment-b": [
        (
            "就労継続支援B型事業所",
            "シュウロウケイゾクシエンビーガタジギョウショ",
            "作業所",
            "サギョウショ",
        ),
        ("", "", "ワークス", "ワークス"),
    ],
    "daily-life-care": [("生活介護事業所", "セイカツカイゴジギョウショ", "", "")],
    "group-home": [("グループホーム", "グループホーム", "", ""), ("", "", "の家", "ノイエ")],
    "relief-facility": [("救護施設", "キュウゴシセツ", "寮", "リョウ")],
    "other": [("", "", "相談支援センター", "ソウダンシエンセンター")],
}

CAPACITIES: dict[str, list[int]] = {
    "special-nursing-home": [29, 50, 60, 70, 80, 100],
    "nursing-home": [50, 60, 80],
    "care-house": [15, 20, 30, 50],
    "day-service": [10, 18, 25, 30, 40],
    "nursery": [30, 45, 60, 90, 120, 150],
    "certified-kindergarten": [60, 90, 120, 160, 200],
    "childrens-home": [20, 30, 45, 60],
    "disability-support": [30, 40, 50, 60, 80],
    "continuous-employment-b": [10, 14, 20, 30],
    "daily-life-care": [10, 20, 30, 40],
    "group-home": [4, 6, 9, 10, 20],
    "relief-facility": [50, 80, 100, 150],
}

# A second facility or corporation of the same name gets 第二, 第三 ...
ORDINALS: list[Reading] = [
    ("", ""), ("第二", "ダイニ"), ("第三", "ダイサン"), ("第四", "ダイヨン"), ("第五", "ダイゴ"),
]  # fmt: skip

TOWNS = [
    "本町", "中央町", "駅前町", "新町", "栄町", "幸町", "緑町", "旭町", "昭和町", "大和町",
    "東町", "西町", "南町", "北町", "元町", "錦町", "寿町", "若葉町", "桜町", "松原町",
    "清水町", "城東町", "田町", "京町", "山手町", "川原町", "野田", "平井", "今村", "西大寺",
]  # fmt: skip
AZA = [
    "上野", "中島", "宮地", "原田", "山田", "川口", "下村", "東原", "西谷", "大谷",
    "小田", "本郷", "新田", "古町", "高田", "池田", "石井", "福田", "岩田", "森",
]  # fmt: skip
SURNAMES = [
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
    "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
    "藤原", "岡田", "三宅", "難波", "小野", "藤井", "石井", "森", "原田", "守屋",
]  # fmt: skip
GIVEN_NAMES = [
    "一郎", "和子", "博", "恵子", "健一", "洋子", "誠", "幸子", "隆", "由美子",
    "修", "京子", "茂", "久美子", "浩二", "弘子", "正", "明美", "進", "節子",
]  # fmt: skip

# Municipalities of other prefectures weigh by kind (a ward of a designated city counts as a
# city of its own), with some spread; the weights only place records.
KIND_WEIGHTS = {
    "special_ward": 8.0, "ward": 6.0, "city": 4.0, "town": 1.2, "village": 0.45,
}  # fmt: skip

# Okayama's units, population in thousands (2020 census, rounded); the weight is pop ** 0.8,
# since facilities are denser in the countryside than people are.
OKAYAMA_POPULATION = {
    "331015": 297, "331023": 145, "331031": 95, "331040": 167, "332020": 475,
    "332038": 99, "332046": 57, "332054": 46, "332071": 39, "332089": 69, "332097": 29,
    "332101": 28, "332119": 33, "332127": 37, "332135": 43, "332143": 43, "332151": 26,
    "332160": 33, "333468": 14, "334235": 12.5, "334456": 11, "334618": 13, "335860": 0.85,
    "336068": 12, "336220": 11, "336238": 5.7, "336432": 1.4, "336637": 4.6, "336661": 13.5,
    "336815": 10.5,
}  # fmt: skip

# The first three digits of Okayama's postal codes, by unit.
OKAYAMA_POSTAL = {
    "331015": "700", "331023": "703", "331031": "704", "331040": "702", "332020": "710",
    "332038": "708", "332046": "706", "332054": "714", "332071": "715", "332089": "719",
    "332097": "716", "332101": "718", "332119": "705", "332127": "701", "332135": "709",
    "332143": "717", "332151": "707", "332160": "719", "333468": "709", "334235": "701",
    "334456": "719", "334618": "714", "335860": "717", "336068": "708", "336220": "709",
    "336238": "708", "336432": "707", "336637": "709", "336661": "709", "336815": "716",
}  # fmt: skip

# The first three digits of each prefecture's postal codes (a range, approximately).
POSTAL_RANGES = {
    "01": (40, 99), "02": (30, 39), "03": (20, 29), "04": (980, 989), "05": (10, 19),
    "06": (990, 999), "07": (960, 979), "08": (300, 319), "09": (320, 329), "10": (370, 379),
    "11": (330, 369), "12": (260, 299), "13": (100, 209), "14": (210, 259), "15": (940, 959),
    "16": (930, 939), "17": (920, 929), "18": (910, 919), "19": (400, 409), "20": (380, 399),
    "21": (500, 509), "22": (410, 439), "23": (440, 499), "24": (510, 519), "25": (520, 529),
    "26": (600, 629), "27": (530, 599), "28": (650, 679), "29": (630, 639), "30": (640, 649),
    "31": (680, 689), "32": (690, 699), "33": (700, 719), "34": (720, 739), "35": (740, 759),
    "36": (770, 779), "37": (760, 769), "38": (790, 799), "39": (780, 789), "40": (800, 839),
    "41": (840, 849), "42": (850, 859), "43": (860, 869), "44": (870, 879), "45": (880, 889),
    "46": (890, 899), "47": (900, 909),
}  # fmt: skip

# Population of each prefecture in tens of thousands (2020 census, rounded): the national
# set shares its corporations and facilities by population ** 0.85.
POPULATION_10K = {
    "01": 522, "02": 124, "03": 121, "04": 230, "05": 96, "06": 107, "07": 183, "08": 287,
    "09": 193, "10": 194, "11": 734, "12": 628, "13": 1405, "14": 924, "15": 220, "16": 103,
    "17": 113, "18": 77, "19": 81, "20": 205, "21": 198, "22": 363, "23": 754, "24": 177,
    "25": 141, "26": 258, "27": 884, "28": 547, "29": 132, "30": 92, "31": 55, "32": 67,
    "33": 189, "34": 280, "35": 134, "36": 72, "37": 95, "38": 133, "39": 69, "40": 514,
    "41": 81, "42": 131, "43": 174, "44": 112, "45": 107, "46": 159, "47": 147,
}  # fmt: skip
