"""Building HR files for import tests: CSV in any encoding, and real XLSX workbooks."""

import csv
import io

import openpyxl

JA_HEADERS = ["社員番号", "氏名", "フリガナ", "メールアドレス", "入社日", "退職日", "退職区分", "所属", "役職", "会社"]
EN_HEADERS = ["employee_number", "name", "name_kana", "email", "joined_on", "left_on", "leave_type", "department",
              "title", "company"]
ROWS = [
    ["E001", "山田 太郎", "ヤマダ タロウ", "taro@example.jp", "2010/4/1", "2020/3/31", "自己都合",
     "営業本部/東京営業部", "課長", "本社"],
    ["E002", "髙橋 花子", "タカハシ ハナコ", "hanako@example.jp", "平成20年4月1日", "R2.9.30", "定年",
     "管理本部／人事部", "", "絆ロジスティクス株式会社"],
    ["E003", "渡邊 健", "ワタナベ ケン", "ken@example.jp", "2015-04-01", "2021-06-30", "voluntary", "開発本部", "主任",
     "本社"],
]


def csv_bytes(rows=ROWS, headers=JA_HEADERS, encoding="cp932"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if headers is not None:
        writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows=ROWS, headers=JA_HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
