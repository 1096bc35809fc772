"""Tables behind the made-up people of seed.py and seed_profiles.py.

Names: Faker ja_JP knows only the 50 most common surnames, so a network of 250,000 would have one
佐藤 in 15 (in Japan it is one in 65) and searches would return unrealistically large sets. The tail
below (the next common surnames, then rarer ones built from common parts) gives the real shape: the
top 50 cover about 30% of people. Companies are made up (none is a real firm); some are spelled in
several widths (Ｎｏｒｔｈｗｉｎｄ / Northwind, ﾐﾗｲﾃｯｸ / ミライテック) as people type them.
"""

# Surnames after Faker's 50, most common first: (kanji, reading, romaji).
MORE_SURNAMES = [
    ("原田", "はらだ", "Harada"), ("小野", "おの", "Ono"), ("竹内", "たけうち", "Takeuchi"),
    ("金子", "かねこ", "Kaneko"), ("和田", "わだ", "Wada"), ("中野", "なかの", "Nakano"), ("原", "はら", "Hara"),
    ("田村", "たむら", "Tamura"), ("安藤", "あんどう", "Ando"), ("河野", "こうの", "Kono"), ("上田", "うえだ", "Ueda"),
    ("大野", "おおの", "Ono"), ("高木", "たかぎ", "Takagi"), ("工藤", "くどう", "Kudo"), ("内田", "うちだ", "Uchida"),
    ("丸山", "まるやま", "Maruyama"), ("今井", "いまい", "Imai"), ("酒井", "さかい", "Sakai"),
    ("宮崎", "みやざき", "Miyazaki"), ("横山", "よこやま", "Yokoyama"), ("高田", "たかだ", "Takada"),
    ("藤本", "ふじもと", "Fujimoto"), ("武田", "たけだ", "Takeda"), ("村田", "むらた", "Murata"),
    ("上野", "うえの", "Ueno"), ("杉山", "すぎやま", "Sugiyama"), ("増田", "ますだ", "Masuda"),
    ("小山", "こやま", "Koyama"), ("大塚", "おおつか", "Otsuka"), ("平野", "ひらの", "Hirano"),
    ("菅原", "すがわら", "Sugawara"), ("久保", "くぼ", "Kubo"), ("松井", "まつい", "Matsui"), ("千葉", "ちば", "Chiba"),
    ("岩崎", "いわさき", "Iwasaki"), ("桜井", "さくらい", "Sakurai"), ("木下", "きのした", "Kinoshita"),
    ("野口", "のぐち", "Noguchi"), ("松尾", "まつお", "Matsuo"), ("菊地", "きくち", "Kikuchi"),
    ("野村", "のむら", "Nomura"), ("新井", "あらい", "Arai"), ("渡部", "わたなべ", "Watanabe"),
    ("佐野", "さの", "Sano"), ("大西", "おおにし", "Onishi"), ("杉本", "すぎもと", "Sugimoto"),
    ("古川", "ふるかわ", "Furukawa"), ("浜田", "はまだ", "Hamada"), ("市川", "いちかわ", "Ichikawa"),
    ("小島", "こじま", "Kojima"), ("水野", "みずの", "Mizuno"), ("桑原", "くわばら", "Kuwabara"),
    ("中山", "なかやま", "Nakayama"), ("石田", "いしだ", "Ishida"), ("小松", "こまつ", "Komatsu"),
    ("島田", "しまだ", "Shimada"), ("菅野", "すがの", "Sugano"), ("山内", "やまうち", "Yamauchi"),
    ("西田", "にしだ", "Nishida"), ("西川", "にしかわ", "Nishikawa"), ("五十嵐", "いがらし", "Igarashi"),
    ("北村", "きたむら", "Kitamura"), ("安田", "やすだ", "Yasuda"), ("中田", "なかた", "Nakata"),
    ("川口", "かわぐち", "Kawaguchi"), ("平田", "ひらた", "Hirata"), ("川崎", "かわさき", "Kawasaki"),
    ("飯田", "いいだ", "Iida"), ("吉川", "よしかわ", "Yoshikawa"), ("本田", "ほんだ", "Honda"),
    ("久保田", "くぼた", "Kubota"), ("沢田", "さわだ", "Sawada"), ("辻", "つじ", "Tsuji"), ("関", "せき", "Seki"),
    ("吉村", "よしむら", "Yoshimura"), ("岩田", "いわた", "Iwata"), ("中西", "なかにし", "Nakanishi"),
    ("服部", "はっとり", "Hattori"), ("樋口", "ひぐち", "Higuchi"), ("福島", "ふくしま", "Fukushima"),
    ("川上", "かわかみ", "Kawakami"), ("永井", "ながい", "Nagai"), ("松岡", "まつおか", "Matsuoka"),
    ("田口", "たぐち", "Taguchi"), ("山中", "やまなか", "Yamanaka"), ("森本", "もりもと", "Morimoto"),
    ("土屋", "つちや", "Tsuchiya"), ("矢野", "やの", "Yano"), ("広瀬", "ひろせ", "Hirose"),
    ("秋山", "あきやま", "Akiyama"), ("石原", "いしはら", "Ishihara"), ("松下", "まつした", "Matsushita"),
    ("大橋", "おおはし", "Ohashi"), ("松浦", "まつうら", "Matsuura"), ("吉岡", "よしおか", "Yoshioka"),
    ("小池", "こいけ", "Koike"), ("馬場", "ばば", "Baba"), ("浅野", "あさの", "Asano"), ("荒木", "あらき", "Araki"),
    ("大久保", "おおくぼ", "Okubo"), ("野田", "のだ", "Noda"), ("小沢", "おざわ", "Ozawa"),
    ("田辺", "たなべ", "Tanabe"), ("川村", "かわむら", "Kawamura"), ("星野", "ほしの", "Hoshino"),
    ("黒田", "くろだ", "Kuroda"), ("堀", "ほり", "Hori"), ("尾崎", "おざき", "Ozaki"),
    ("望月", "もちづき", "Mochizuki"), ("永田", "ながた", "Nagata"), ("熊谷", "くまがい", "Kumagai"),
    ("内藤", "ないとう", "Naito"), ("松村", "まつむら", "Matsumura"), ("西山", "にしやま", "Nishiyama"),
    ("大谷", "おおたに", "Otani"), ("平井", "ひらい", "Hirai"), ("大島", "おおしま", "Oshima"),
    ("岩本", "いわもと", "Iwamoto"), ("片山", "かたやま", "Katayama"), ("本間", "ほんま", "Honma"),
    ("早川", "はやかわ", "Hayakawa"), ("横田", "よこた", "Yokota"), ("岡崎", "おかざき", "Okazaki"),
    ("荒井", "あらい", "Arai"), ("大石", "おおいし", "Oishi"), ("鎌田", "かまた", "Kamata"),
    ("成田", "なりた", "Narita"), ("宮本", "みやもと", "Miyamoto"), ("宮田", "みやた", "Miyata"),
    ("小西", "こにし", "Konishi"), ("若林", "わかばやし", "Wakabayashi"), ("栗原", "くりはら", "Kurihara"),
    ("大森", "おおもり", "Omori"), ("平林", "ひらばやし", "Hirabayashi"), ("林田", "はやしだ", "Hayashida"),
    ("森田", "もりた", "Morita"), ("宮下", "みやした", "Miyashita"), ("須藤", "すどう", "Sudo"),
    ("高野", "たかの", "Takano"), ("金井", "かない", "Kanai"), ("栗林", "くりばやし", "Kuribayashi"),
    ("中林", "なかばやし", "Nakabayashi"), ("東", "ひがし", "Higashi"), ("南", "みなみ", "Minami"),
]
# Rarer surnames: a common first part and a common last part (大+川 → 大川 おおかわ Okawa).
SURNAME_HEADS = [
    ("大", "おお", "O"), ("小", "こ", "Ko"), ("中", "なか", "Naka"), ("上", "かみ", "Kami"), ("下", "しも", "Shimo"),
    ("北", "きた", "Kita"), ("南", "みなみ", "Minami"), ("東", "ひがし", "Higashi"), ("西", "にし", "Nishi"),
    ("石", "いし", "Ishi"), ("岩", "いわ", "Iwa"), ("松", "まつ", "Matsu"), ("竹", "たけ", "Take"),
    ("梅", "うめ", "Ume"), ("杉", "すぎ", "Sugi"), ("桜", "さくら", "Sakura"), ("今", "いま", "Ima"),
    ("新", "にい", "Nii"), ("古", "ふる", "Furu"), ("長", "なが", "Naga"), ("高", "たか", "Taka"),
    ("浅", "あさ", "Asa"), ("深", "ふか", "Fuka"), ("福", "ふく", "Fuku"), ("吉", "よし", "Yoshi"),
    ("宮", "みや", "Miya"), ("前", "まえ", "Mae"), ("平", "ひら", "Hira"), ("広", "ひろ", "Hiro"), ("青", "あお", "Ao"),
    ("白", "しら", "Shira"), ("黒", "くろ", "Kuro"), ("金", "かな", "Kana"), ("森", "もり", "Mori"),
    ("柴", "しば", "Shiba"), ("荒", "あら", "Ara"), ("岸", "きし", "Kishi"), ("菊", "きく", "Kiku"),
    ("藤", "ふじ", "Fuji"), ("野", "の", "No"), ("川", "かわ", "Kawa"), ("村", "むら", "Mura"), ("相", "あい", "Ai"),
    ("片", "かた", "Kata"),
]
SURNAME_TAILS = [
    ("田", "た", "ta"), ("川", "かわ", "kawa"), ("山", "やま", "yama"), ("野", "の", "no"), ("村", "むら", "mura"),
    ("本", "もと", "moto"), ("井", "い", "i"), ("島", "しま", "shima"), ("沢", "さわ", "sawa"), ("原", "はら", "hara"),
    ("木", "き", "ki"), ("谷", "たに", "tani"), ("口", "ぐち", "guchi"), ("崎", "さき", "saki"), ("岡", "おか", "oka"),
    ("部", "べ", "be"), ("内", "うち", "uchi"), ("森", "もり", "mori"), ("橋", "はし", "hashi"),
    ("林", "ばやし", "bayashi"), ("浦", "うら", "ura"), ("坂", "さか", "saka"), ("尾", "お", "o"), ("瀬", "せ", "se"),
    ("塚", "つか", "tsuka"),
]
# Share of all members the three groups of surnames have (Faker's 50, MORE_SURNAMES, the built ones).
SURNAME_SHARES = (30, 22, 48)
# Old or variant spellings people keep in their names (search folds them): (usual, variant, share).
SURNAME_VARIANTS = [("高橋", "髙橋", 0.08), ("斎藤", "齋藤", 0.15), ("渡辺", "渡邊", 0.08), ("渡辺", "渡邉", 0.08),
                    ("山崎", "山﨑", 0.10), ("浜田", "濱田", 0.10), ("沢田", "澤田", 0.15)]

MORE_MALE_NAMES = [
    ("大輔", "だいすけ", "Daisuke"), ("健太", "けんた", "Kenta"), ("拓也", "たくや", "Takuya"),
    ("大樹", "だいき", "Daiki"), ("誠", "まこと", "Makoto"), ("隆", "たかし", "Takashi"), ("剛", "つよし", "Tsuyoshi"),
    ("悠斗", "ゆうと", "Yuto"), ("蓮", "れん", "Ren"), ("大翔", "ひろと", "Hiroto"), ("陸", "りく", "Riku"),
    ("湊", "みなと", "Minato"), ("悠真", "ゆうま", "Yuma"), ("颯太", "そうた", "Sota"), ("亮", "りょう", "Ryo"),
    ("恭平", "きょうへい", "Kyohei"), ("慎也", "しんや", "Shinya"), ("俊介", "しゅんすけ", "Shunsuke"),
    ("博之", "ひろゆき", "Hiroyuki"), ("正樹", "まさき", "Masaki"), ("達也", "たつや", "Tatsuya"),
    ("雄一", "ゆういち", "Yuichi"), ("勇気", "ゆうき", "Yuki"), ("光", "ひかる", "Hikaru"),
    ("一郎", "いちろう", "Ichiro"), ("健", "けん", "Ken"), ("賢治", "けんじ", "Kenji"), ("浩二", "こうじ", "Koji"),
    ("誠司", "せいじ", "Seiji"), ("哲也", "てつや", "Tetsuya"), ("秀樹", "ひでき", "Hideki"),
    ("和彦", "かずひこ", "Kazuhiko"),
]
MORE_FEMALE_NAMES = [
    ("美咲", "みさき", "Misaki"), ("愛", "あい", "Ai"), ("彩", "あや", "Aya"), ("真由美", "まゆみ", "Mayumi"),
    ("恵", "めぐみ", "Megumi"), ("由美", "ゆみ", "Yumi"), ("智子", "ともこ", "Tomoko"), ("久美子", "くみこ", "Kumiko"),
    ("美穂", "みほ", "Miho"), ("麻衣", "まい", "Mai"), ("沙織", "さおり", "Saori"), ("優子", "ゆうこ", "Yuko"),
    ("理恵", "りえ", "Rie"), ("千尋", "ちひろ", "Chihiro"), ("葵", "あおい", "Aoi"), ("結菜", "ゆいな", "Yuina"),
    ("陽菜", "ひな", "Hina"), ("凛", "りん", "Rin"), ("芽依", "めい", "Mei"), ("さくら", "さくら", "Sakura"),
    ("奈々", "なな", "Nana"), ("亜希子", "あきこ", "Akiko"), ("由紀", "ゆき", "Yuki"), ("綾香", "あやか", "Ayaka"),
    ("美香", "みか", "Mika"), ("友美", "ともみ", "Tomomi"), ("純子", "じゅんこ", "Junko"),
    ("真理子", "まりこ", "Mariko"), ("恵子", "けいこ", "Keiko"), ("明日香", "あすか", "Asuka"),
    ("遥", "はるか", "Haruka"), ("美紀", "みき", "Miki"),
]
# Members from abroad: (family name, given name, family reading, given reading, romaji as written).
FOREIGN_NAMES = [
    ("スミス", "ジョン", "すみす", "じょん", "John Smith"),
    ("ブラウン", "エミリー", "ぶらうん", "えみりー", "Emily Brown"), ("王", "偉", "わん", "うぇい", "Wang Wei"),
    ("李", "娜", "り", "な", "Li Na"), ("陳", "美玲", "ちぇん", "めいりん", "Chen Meiling"),
    ("金", "珉俊", "きむ", "みんじゅん", "Kim Minjun"), ("朴", "智恩", "ぱく", "じうん", "Park Jieun"),
    ("グエン", "アン", "ぐえん", "あん", "Nguyen An"), ("シャルマ", "ラフル", "しゃるま", "らふる", "Rahul Sharma"),
    ("ミュラー", "ルーカス", "みゅらー", "るーかす", "Lukas Muller"),
    ("マルタン", "カミーユ", "まるたん", "かみーゆ", "Camille Martin"),
    ("ガルシア", "ソフィア", "がるしあ", "そふぃあ", "Sofia Garcia"),
    ("テイラー", "ダニエル", "ているらー", "だにえる", "Daniel Taylor"),
]
FOREIGN_SHARE = 0.015

# Where members work now: (spellings, industry, weight). The first spelling is the usual one.
CURRENT_COMPANIES = [
    (("株式会社青葉システムズ", "㈱青葉システムズ", "青葉システムズ"), "it", 40),
    (("ミライテック株式会社", "ﾐﾗｲﾃｯｸ株式会社"), "it", 35),
    (("Northwind Japan株式会社", "Ｎｏｒｔｈｗｉｎｄ Ｊａｐａｎ株式会社", "ノースウィンド・ジャパン"), "it", 30),
    (("Contoso Japan合同会社", "コントソ・ジャパン合同会社"), "it", 28),
    (("株式会社ノースブリッジ・コンサルティング",), "consulting", 25),
    (("東和物産株式会社", "東和物産"), "trading", 25),
    (("株式会社ハヤテ運輸",), "logistics", 22),
    (("株式会社スカイライン・ロジスティクス", "スカイラインロジスティクス"), "logistics", 18),
    (("日東データサービス株式会社",), "it", 18),
    (("株式会社はなまるフーズ",), "retail", 16),
    (("株式会社コスモリンク", "ｺｽﾓﾘﾝｸ"), "it", 15),
    (("さくら精工株式会社",), "manufacturing", 15),
    (("株式会社ひかり電機", "ひかり電機"), "manufacturing", 14),
    (("アオイ製薬株式会社",), "healthcare", 12),
    (("株式会社みなと建設",), "construction", 12),
    (("株式会社タカミ不動産",), "construction", 10),
    (("株式会社キャリアブリッジ",), "hr", 14),
    (("株式会社リンク・アンド・パートナーズ",), "hr", 9),
    (("ネクストメディア株式会社",), "media", 11),
    (("株式会社グリーンエナジー東日本",), "energy", 8),
    (("株式会社ソラシス", "ソラシス"), "it", 10),
    (("みらい証券株式会社",), "finance", 12),
    (("東都生命保険株式会社",), "finance", 10),
    (("株式会社フォレスト・キャピタル",), "finance", 7),
    (("株式会社ユニバース・コンサルティング",), "consulting", 12),
    (("Fabrikam Japan株式会社", "ファブリカム・ジャパン"), "manufacturing", 9),
    (("Globex Asia Pte. Ltd.",), "trading", 6),
    (("Initech K.K.", "イニテック"), "it", 8),
    (("Acme Logistics Japan", "アクメ・ロジスティクス"), "logistics", 7),
    (("Tailspin Consulting",), "consulting", 6),
    (("Wingtip Partners",), "finance", 5),
    (("Adatum Corporation", "アダタム"), "it", 6),
    (("Litware Inc.",), "it", 5),
    (("国立大学法人 東都大学", "東都大学"), "education", 6),
    (("東都市役所",), "public", 5),
    (("特定非営利活動法人 つなぐ", "NPO法人つなぐ"), "public", 3),
    (("株式会社カエデ出版",), "media", 5),
    (("株式会社ミドリ食品",), "retail", 8),
    (("株式会社アサヒナ・ホテルズ",), "retail", 5),
    (("合同会社ひだまり",), "startup", 4),
    (("フリーランス",), "", 20),
    (("個人事業主",), "", 8),
    (("起業準備中",), "startup", 4),
]
# Current "companies" that are not an employer: no title or "working at" sentence for them.
SELF_EMPLOYED = {"フリーランス", "個人事業主", "起業準備中"}
SELF_EMPLOYED_TITLES = ["代表", "コンサルタント", "エンジニア", "デザイナー", "ライター", "講師"]
# The job people hold now, by the kind of work they did at the group (and "any" for everyone).
CURRENT_TITLES = {
    "sales": [
        "営業", "法人営業", "営業マネージャー", "営業部長", "アカウントエグゼクティブ", "インサイドセールス",
        "Sales Manager", "事業開発",
    ],
    "engineering": [
        "ソフトウェアエンジニア", "シニアエンジニア", "テックリード", "エンジニアリングマネージャー", "CTO",
        "Software Engineer", "SRE", "データサイエンティスト", "プロダクトマネージャー", "QAエンジニア",
    ],
    "marketing": [
        "マーケター", "マーケティングマネージャー", "ブランドマネージャー", "デジタルマーケター", "CMO", "広報",
    ],
    "cs": ["カスタマーサクセス", "カスタマーサクセスマネージャー", "サポートリーダー", "オンボーディング担当"],
    "corporate": [
        "人事", "採用担当", "人事部長", "経理", "財務マネージャー", "法務", "経営企画", "CFO", "総務", "HRBP",
    ],
    "logistics": ["物流管理", "倉庫管理責任者", "SCMマネージャー", "物流コンサルタント", "購買担当", "生産管理"],
    "any": [
        "代表取締役", "取締役", "顧問", "コンサルタント", "フリーランス", "マネージャー", "大学院生", "講師",
        "プロジェクトマネージャー",
    ],
}
# The kind of work of each department of seed.DEPARTMENTS (by the top of its path).
DEPARTMENT_KINDS = {
    "営業本部": "sales", "開発本部": "engineering", "マーケティング部": "marketing", "カスタマーサクセス部": "cs",
    "物流本部": "logistics",
}
SKILLS = {
    "engineering": [
        "Python", "Java", "Go", "TypeScript", "JavaScript", "React", "Vue.js", "Ruby on Rails", "PHP", "Kotlin",
        "Swift", "C#", "C++", "Rust", "SQL", "PostgreSQL", "MySQL", "AWS", "Google Cloud", "Azure", "Kubernetes",
        "Docker", "Terraform", "Linux", "CI/CD", "機械学習", "深層学習", "データ分析", "データエンジニアリング",
        "セキュリティ", "ネットワーク設計", "テスト自動化", "アジャイル", "スクラム", "システム設計", "iOS開発",
        "Android開発", "UI/UXデザイン", "Figma",
    ],
    "sales": [
        "法人営業", "新規開拓", "ルート営業", "提案営業", "ソリューション営業", "インサイドセールス", "営業企画",
        "代理店営業", "交渉", "顧客折衝", "Salesforce", "CRM", "海外営業", "入札対応",
    ],
    "marketing": [
        "デジタルマーケティング", "SEO", "広告運用", "コンテンツマーケティング", "ブランディング", "市場調査",
        "SNS運用", "Google Analytics", "PR", "イベント企画", "コピーライティング",
    ],
    "cs": [
        "カスタマーサクセス", "カスタマーサポート", "オンボーディング", "解約防止", "Zendesk", "FAQ作成", "顧客分析",
    ],
    "corporate": [
        "採用", "新卒採用", "中途採用", "労務管理", "人事制度設計", "研修企画", "組織開発", "経理", "簿記2級",
        "簿記1級", "財務分析", "管理会計", "税務", "連結決算", "IPO準備", "契約審査", "コンプライアンス", "知的財産",
        "予算管理", "M&A", "IR", "広報", "社内報", "総務", "ファシリティ管理", "社会保険労務士", "公認会計士", "税理士",
    ],
    "logistics": [
        "物流管理", "在庫管理", "倉庫管理", "配送計画", "SCM", "輸出入業務", "通関", "フォークリフト", "物流改善",
        "調達", "購買", "品質管理", "生産管理", "安全管理", "3PL",
    ],
    "any": [
        "英語", "ビジネス英語", "中国語", "韓国語", "TOEIC 900", "プロジェクトマネジメント", "PMP", "Excel", "VBA",
        "PowerPoint", "プレゼンテーション", "ファシリテーション", "コーチング", "メンタリング", "チームビルディング",
        "事業開発", "新規事業", "戦略立案", "業務改善", "起業", "MBA", "中小企業診断士", "宅地建物取引士",
        "基本情報技術者", "応用情報技術者", "写真", "動画編集", "翻訳", "通訳",
    ],
}
# How many skills a member lists (0–8): (count, weight).
SKILL_COUNTS = [(0, 25), (1, 8), (2, 12), (3, 15), (4, 13), (5, 10), (6, 7), (7, 5), (8, 5)]

# 2020 census, 10,000 people, by JIS prefecture code. The company is in Tokyo: its alumni mostly live near it.
PREFECTURE_POPULATION = {
    1: 522, 2: 124, 3: 121, 4: 230, 5: 96, 6: 107, 7: 183, 8: 287, 9: 193, 10: 194, 11: 734, 12: 628, 13: 1405,
    14: 924, 15: 220, 16: 103, 17: 113, 18: 77, 19: 81, 20: 205, 21: 198, 22: 363, 23: 754, 24: 177, 25: 141,
    26: 258, 27: 884, 28: 547, 29: 132, 30: 92, 31: 55, 32: 67, 33: 189, 34: 280, 35: 134, 36: 72, 37: 95, 38: 133,
    39: 69, 40: 514, 41: 81, 42: 131, 43: 174, 44: 112, 45: 107, 46: 159, 47: 147,
}
NEAR_THE_OFFICE = {11: 2.0, 12: 2.0, 13: 2.5, 14: 2.0, 27: 1.5}
# Members abroad (about 4%), by ISO code.
COUNTRIES = [("US", 25), ("SG", 15), ("GB", 8), ("CN", 10), ("TH", 6), ("VN", 6), ("DE", 4), ("AU", 5), ("CA", 4),
             ("KR", 5), ("TW", 6), ("HK", 4), ("IN", 3), ("FR", 2), ("NL", 2), ("ID", 3), ("MY", 3)]

# Independent chances of each purpose of use.
PURPOSE_CHANCES = {"social": 0.55, "info": 0.45, "return": 0.08, "contract": 0.12, "business": 0.15, "mentor": 0.07}
LANGUAGE_CHANCES = {"en": 0.35, "zh": 0.04, "ko": 0.03, "fr": 0.01, "de": 0.01, "es": 0.01}

# Short introductions: one opening, one memory of the group, one closing (each may be left out).
BIO_OPENINGS_WORKING = [
    "{left}年に退職し、現在は{company}で{title}をしています。",
    "{company}で{title}として働いています。",
    "退職後、{company}に転職しました。今は{title}です。",
    "現在は{company}勤務です。",
]
BIO_OPENINGS_OTHER = [
    "{left}年に絆グループを卒業しました。",
    "退職後はフリーランスとして活動しています。",
    "子育てが落ち着いたので、また働き方を考えているところです。",
    "地元に戻り、家業を手伝っています。",
]
BIO_OPENINGS_EMPLOYEE = [
    "{department}で働いています。",
    "{joined}年入社です。今は{department}にいます。",
    "{department}所属です。アルムナイの皆さんと話せるのを楽しみにしています。",
]
BIO_MEMORIES = {
    "sales": [
        "在籍中は{department}で法人営業を担当していました。", "新規開拓の営業で全国を回っていました。",
        "営業として大手のお客様を担当していました。",
    ],
    "engineering": [
        "在籍中は{department}でシステム開発をしていました。", "社内システムの刷新プロジェクトに関わりました。",
        "開発チームのリーダーをしていました。",
    ],
    "marketing": ["在籍中はマーケティングとブランド作りを担当していました。", "展示会やイベントの企画をしていました。"],
    "cs": ["お客様の導入支援とサポートを担当していました。", "カスタマーサクセスの立ち上げに関わりました。"],
    "corporate": [
        "在籍中は{department}で採用と研修を担当していました。", "中途採用の責任者をしていました。",
        "決算と予算管理を担当していました。", "契約書のレビューと社内規程の整備をしていました。",
    ],
    "logistics": [
        "{department}で物流センターの運営をしていました。", "物流改善と在庫管理を担当していました。",
        "配送ネットワークの見直しに取り組みました。",
    ],
}
BIO_CLOSINGS = [
    "同期の皆さん、お久しぶりです！", "{skill}の話ができる方とつながりたいです。", "趣味は{hobby}です。",
    "副業や業務委託のご相談も歓迎です。", "採用や転職の相談があればお気軽にどうぞ。", "最近は{skill}を勉強しています。",
    "また皆さんと一緒に仕事ができたら嬉しいです。", "物流や営業の情報交換ができればと思います。",
    "気軽に声をかけてください。",
]
BIO_ENGLISH = [
    "I worked at the group from {joined} to {left}. Now {title} at {company}.",
    "Former {department} member, now at {company}. Happy to talk about {skill}.",
    "Based abroad these days. Always glad to hear from old colleagues.",
]
HOBBIES = [
    "登山", "キャンプ", "ランニング", "写真", "読書", "料理", "ゴルフ", "釣り", "サウナ", "旅行", "将棋", "フットサル",
    "ヨガ", "映画鑑賞", "家庭菜園", "ピアノ",
]
