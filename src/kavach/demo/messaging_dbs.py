"""Messaging databases built with the apps' published schemas, as a phone holds them.

The CREATE TABLE statements are those of the real databases that IPED and iLEAPP
ship as test data (WhatsApp Android msgstore.db of 2021 and wa.db version 44;
WhatsApp iOS 15 ChatStorage.sqlite and ContactsV2.sqlite) and of Telegram's own
client source (MessagesStorage.createTables), columns unchanged. The rows are made
up: two groups, a few members, media records whose SHA-256 the test chooses.
"""

from __future__ import annotations

import base64
import plistlib
import sqlite3
from pathlib import Path

MSGSTORE_SCHEMA = """
CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL,
  agent INTEGER, device INTEGER, type INTEGER, raw_string TEXT);
CREATE TABLE chat (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER UNIQUE, hidden INTEGER,
  subject TEXT, created_timestamp INTEGER, display_message_row_id INTEGER, last_message_row_id INTEGER,
  last_read_message_row_id INTEGER, last_read_receipt_sent_message_row_id INTEGER,
  last_important_message_row_id INTEGER, archived INTEGER, sort_timestamp INTEGER, mod_tag INTEGER, gen REAL,
  spam_detection INTEGER, unseen_earliest_message_received_time INTEGER, unseen_message_count INTEGER,
  unseen_missed_calls_count INTEGER, unseen_row_count INTEGER, plaintext_disabled INTEGER,
  vcard_ui_dismissed INTEGER, change_number_notified_message_row_id INTEGER, show_group_description INTEGER,
  ephemeral_expiration INTEGER, last_read_ephemeral_message_row_id INTEGER, ephemeral_setting_timestamp INTEGER,
  unseen_important_message_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE message(_id INTEGER PRIMARY KEY AUTOINCREMENT, chat_row_id INTEGER NOT NULL,
  from_me INTEGER NOT NULL, key_id TEXT NOT NULL, sender_jid_row_id INTEGER, status INTEGER,
  broadcast INTEGER, recipient_count INTEGER, participant_hash TEXT, origination_flags INTEGER,
  origin INTEGER, timestamp INTEGER, received_timestamp INTEGER, receipt_server_timestamp INTEGER,
  message_type INTEGER, text_data TEXT, starred INTEGER, lookup_tables INTEGER,
  message_add_on_flags INTEGER, view_mode INTEGER, sort_id INTEGER NOT NULL DEFAULT 0,
  translated_text TEXT, view_replies_thread_id INTEGER, server_sts INTEGER);
CREATE TABLE message_media (message_row_id INTEGER PRIMARY KEY, chat_row_id INTEGER,
  autotransfer_retry_enabled INTEGER, multicast_id TEXT, media_job_uuid TEXT, transferred INTEGER,
  transcoded INTEGER, file_path TEXT, file_size INTEGER, suspicious_content INTEGER, trim_from INTEGER,
  trim_to INTEGER, face_x INTEGER, face_y INTEGER, media_key BLOB, media_key_timestamp INTEGER,
  width INTEGER, height INTEGER, has_streaming_sidecar INTEGER, gif_attribution INTEGER,
  thumbnail_height_width_ratio REAL, direct_path TEXT, first_scan_sidecar BLOB, first_scan_length INTEGER,
  message_url TEXT, mime_type TEXT, file_length INTEGER, media_name TEXT, file_hash TEXT,
  media_duration INTEGER, page_count INTEGER, enc_file_hash TEXT, partial_media_hash TEXT,
  partial_media_enc_hash TEXT, is_animated_sticker INTEGER, original_file_hash TEXT,
  mute_video INTEGER DEFAULT 0);
CREATE TABLE group_participant_user (_id INTEGER PRIMARY KEY AUTOINCREMENT, group_jid_row_id INTEGER NOT NULL,
  user_jid_row_id INTEGER NOT NULL, rank INTEGER, pending INTEGER);
CREATE UNIQUE INDEX group_participant_user_index ON group_participant_user (group_jid_row_id, user_jid_row_id);
CREATE TABLE group_participants (_id INTEGER PRIMARY KEY AUTOINCREMENT, gjid TEXT NOT NULL, jid TEXT NOT NULL,
  admin INTEGER, pending INTEGER, sent_sender_key INTEGER);
"""

WA_SCHEMA = """
CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid TEXT NOT NULL, is_whatsapp_user BOOLEAN NOT NULL,
  status TEXT, status_timestamp INTEGER, number TEXT, raw_contact_id INTEGER, display_name TEXT, phone_type INTEGER,
  phone_label TEXT, unseen_msg_count INTEGER, photo_ts INTEGER, thumb_ts INTEGER, photo_id_timestamp INTEGER,
  given_name TEXT, family_name TEXT, wa_name TEXT, sort_name TEXT, nickname TEXT, company TEXT, title TEXT,
  status_autodownload_disabled INTEGER, keep_timestamp INTEGER, is_spam_reported INTEGER,
  is_sidelist_synced BOOLEAN DEFAULT 0, is_business_synced BOOLEAN DEFAULT 0);
CREATE TABLE wa_group_admin_settings (jid TEXT NOT NULL, restrict_mode BOOLEAN NOT NULL,
  announcement_group BOOLEAN NOT NULL, no_frequently_forwarded BOOLEAN NOT NULL,
  ephemeral_duration INTEGER DEFAULT NULL, creator_jid TEXT, in_app_support BOOLEAN NOT NULL);
"""

CHATSTORAGE_SCHEMA = """
CREATE TABLE ZWACHATSESSION ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZARCHIVED INTEGER, ZCONTACTABID INTEGER,
  ZFLAGS INTEGER, ZHIDDEN INTEGER, ZIDENTITYVERIFICATIONEPOCH INTEGER, ZIDENTITYVERIFICATIONSTATE INTEGER, ZMESSAGECOUNTER INTEGER,
  ZREMOVED INTEGER, ZSESSIONTYPE INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZUNREADCOUNT INTEGER, ZGROUPINFO INTEGER, ZLASTMESSAGE INTEGER,
  ZPROPERTIES INTEGER, ZLASTMESSAGEDATE TIMESTAMP, ZLOCATIONSHARINGENDDATE TIMESTAMP, ZCONTACTIDENTIFIER VARCHAR,
  ZCONTACTJID VARCHAR, ZETAG VARCHAR, ZLASTMESSAGETEXT VARCHAR, ZPARTNERNAME VARCHAR, ZSAVEDINPUT VARCHAR );
CREATE TABLE ZWAGROUPINFO ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZSTATE INTEGER, ZCHATSESSION INTEGER,
  ZLASTMESSAGEOWNER INTEGER, ZCREATIONDATE TIMESTAMP, ZSUBJECTTIMESTAMP TIMESTAMP, ZCREATORJID VARCHAR, ZOWNERJID VARCHAR,
  ZPICTUREID VARCHAR, ZPICTUREPATH VARCHAR, ZSOURCEJID VARCHAR, ZSUBJECTOWNERJID VARCHAR );
CREATE TABLE ZWAGROUPMEMBER ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCONTACTABID INTEGER, ZISACTIVE INTEGER,
  ZISADMIN INTEGER, ZSENDERKEYSENT INTEGER, ZCHATSESSION INTEGER, ZRECENTGROUPCHAT INTEGER, ZCONTACTIDENTIFIER VARCHAR,
  ZCONTACTNAME VARCHAR, ZFIRSTNAME VARCHAR, ZMEMBERJID VARCHAR );
CREATE TABLE ZWAMESSAGE ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCHILDMESSAGESDELIVEREDCOUNT INTEGER,
  ZCHILDMESSAGESPLAYEDCOUNT INTEGER, ZCHILDMESSAGESREADCOUNT INTEGER, ZDATAITEMVERSION INTEGER, ZDOCID INTEGER, ZENCRETRYCOUNT INTEGER,
  ZFILTEREDRECIPIENTCOUNT INTEGER, ZFLAGS INTEGER, ZGROUPEVENTTYPE INTEGER, ZISFROMME INTEGER, ZMESSAGEERRORSTATUS INTEGER,
  ZMESSAGESTATUS INTEGER, ZMESSAGETYPE INTEGER, ZSORT INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZSTARRED INTEGER, ZCHATSESSION INTEGER,
  ZGROUPMEMBER INTEGER, ZLASTSESSION INTEGER, ZMEDIAITEM INTEGER, ZMESSAGEINFO INTEGER, ZPARENTMESSAGE INTEGER,
  ZMESSAGEDATE TIMESTAMP, ZSENTDATE TIMESTAMP, ZFROMJID VARCHAR, ZMEDIASECTIONID VARCHAR, ZPHASH VARCHAR, ZPUSHNAME VARCHAR,
  ZSTANZAID VARCHAR, ZTEXT VARCHAR, ZTOJID VARCHAR );
CREATE TABLE ZWAMEDIAITEM ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCLOUDSTATUS INTEGER, ZFILESIZE INTEGER,
  ZMEDIAORIGIN INTEGER, ZMOVIEDURATION INTEGER, ZMESSAGE INTEGER, ZASPECTRATIO FLOAT, ZHACCURACY FLOAT, ZLATITUDE FLOAT,
  ZLONGITUDE FLOAT, ZMEDIAURLDATE TIMESTAMP, ZAUTHORNAME VARCHAR, ZCOLLECTIONNAME VARCHAR, ZMEDIALOCALPATH VARCHAR,
  ZMEDIAURL VARCHAR, ZTHUMBNAILLOCALPATH VARCHAR, ZTITLE VARCHAR, ZVCARDNAME VARCHAR, ZVCARDSTRING VARCHAR,
  ZXMPPTHUMBPATH VARCHAR, ZMEDIAKEY BLOB, ZMETADATA BLOB );
"""

CONTACTSV2_SCHEMA = """
CREATE TABLE ZWAADDRESSBOOKCONTACT ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZDISAPPEARINGMODEDURATION INTEGER,
  ZPHONESTATUS INTEGER, ZSECTIONSORT INTEGER, ZSORT INTEGER, ZSPOTLIGHTSTATUS INTEGER, ZABOUTTIMESTAMP TIMESTAMP,
  ZDISAPPEARINGMODETIMESTAMP TIMESTAMP, ZABOUTTEXT VARCHAR, ZFULLNAME VARCHAR, ZGIVENNAME VARCHAR, ZHIGHLIGHTEDNAME VARCHAR,
  ZIDENTIFIER VARCHAR, ZLOCALIZEDPHONENUMBER VARCHAR, ZPHONENUMBER VARCHAR, ZPHONENUMBERLABEL VARCHAR, ZSEARCHTOKENLIST VARCHAR,
  ZSECTIONTITLE VARCHAR, ZWHATSAPPID VARCHAR, ZDEVICELIST BLOB );
"""

CACHE4_SCHEMA = """
CREATE TABLE users(uid INTEGER PRIMARY KEY, name TEXT, status INTEGER, data BLOB);
CREATE TABLE chats(uid INTEGER PRIMARY KEY, name TEXT, data BLOB);
CREATE TABLE dialogs(did INTEGER PRIMARY KEY, date INTEGER, unread_count INTEGER, last_mid INTEGER, inbox_max INTEGER,
  outbox_max INTEGER, last_mid_i INTEGER, unread_count_i INTEGER, pts INTEGER, date_i INTEGER, pinned INTEGER, flags INTEGER,
  folder_id INTEGER, data BLOB, unread_reactions INTEGER, last_mid_group INTEGER, ttl_period INTEGER);
CREATE TABLE channel_users_v2(did INTEGER, uid INTEGER, date INTEGER, data BLOB, PRIMARY KEY(did, uid));
CREATE TABLE channel_admins_v3(did INTEGER, uid INTEGER, data BLOB, PRIMARY KEY(did, uid));
CREATE TABLE user_contacts_v7(key TEXT PRIMARY KEY, uid INTEGER, fname TEXT, sname TEXT, imported INTEGER);
CREATE TABLE user_phones_v7(key TEXT, phone TEXT, sphone TEXT, deleted INTEGER, PRIMARY KEY (key, phone));
"""


def b64(sha256_hex: str) -> str:
    return base64.b64encode(bytes.fromhex(sha256_hex)).decode()


def _create(path: Path, schema: str) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.executescript(schema)
    return db


def whatsapp_android(
    root: Path,
    owner: str,
    members: list[str],
    media_sha256: str,
    group: str,
    owner_name: str = "Owner",
) -> Path:
    """``root/data/data/com.whatsapp/``: a group ``group`` created by ``members[0]``
    with ``owner`` and ``members`` in it, and one picture received in it."""
    app = root / "data" / "data" / "com.whatsapp"
    path = app / "databases" / "msgstore.db"
    db = _create(path, MSGSTORE_SCHEMA)
    group_jid = f"{members[0]}-1700000000@g.us"
    db.execute("INSERT INTO jid VALUES (1, '', 'status_me', 0, 0, 11, NULL)")
    db.execute(
        "INSERT INTO jid VALUES (2, ?, 'g.us', 0, 0, 1, ?)",
        (group_jid.split("@")[0], group_jid),
    )
    for i, number in enumerate(members, start=3):
        db.execute(
            "INSERT INTO jid VALUES (?, ?, 's.whatsapp.net', 0, 0, 0, ?)",
            (i, number, f"{number}@s.whatsapp.net"),
        )
        rank = 2 if i == 3 else 0
        db.execute(
            "INSERT INTO group_participant_user (group_jid_row_id, user_jid_row_id,"
            " rank, pending) VALUES (2, ?, ?, 0)",
            (i, rank),
        )
    db.execute(
        "INSERT INTO group_participant_user (group_jid_row_id, user_jid_row_id, rank,"
        " pending) VALUES (2, 1, 0, 0)"
    )
    db.execute(
        "INSERT INTO chat (_id, jid_row_id, subject, created_timestamp) VALUES (1, 2, ?, ?)",
        (group, 1_700_000_000_000),
    )
    db.execute(
        "INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id,"
        " timestamp, message_type, text_data) VALUES (1, 1, 0, 'K1', 3, ?, 1, 'hello')",
        (1_700_000_100_000,),
    )
    db.execute(
        "INSERT INTO message_media (message_row_id, chat_row_id, file_path, file_size,"
        " mime_type, file_hash) VALUES (1, 1, 'Media/WhatsApp Images/IMG-1.jpg', 2048,"
        " 'image/jpeg', ?)",
        (b64(media_sha256),),
    )
    db.commit()
    db.close()
    wa = _create(path.with_name("wa.db"), WA_SCHEMA)
    for number in members:
        wa.execute(
            "INSERT INTO wa_contacts (jid, is_whatsapp_user, number, display_name)"
            " VALUES (?, 1, ?, ?)",
            (f"{number}@s.whatsapp.net", number[2:], f"Contact {number[-4:]}"),
        )
    wa.execute(
        "INSERT INTO wa_contacts (jid, is_whatsapp_user, display_name) VALUES (?, 0, ?)",
        (group_jid, group),
    )
    wa.commit()
    wa.close()
    prefs = app / "shared_prefs" / "com.whatsapp_preferences_light.xml"
    prefs.parent.mkdir(parents=True, exist_ok=True)
    prefs.write_text(
        "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n"
        f'    <string name="registration_jid">{owner}</string>\n'
        f'    <string name="push_name">{owner_name}</string>\n</map>\n'
    )
    return path


def whatsapp_ios(
    root: Path,
    owner: str,
    members: list[str],
    media_sha256: str,
    group: str,
    owner_name: str = "Owner",
) -> Path:
    """An iOS app group holding the same group, seen from ``owner``'s iPhone."""
    folder = root / "private/var/mobile/Containers/Shared/AppGroup/0A1B2C3D"
    path = folder / "ChatStorage.sqlite"
    db = _create(path, CHATSTORAGE_SCHEMA)
    group_jid = f"{members[0]}-1700000000@g.us"
    db.execute(
        "INSERT INTO ZWACHATSESSION (Z_PK, ZCONTACTJID, ZPARTNERNAME, ZSESSIONTYPE,"
        " ZGROUPINFO) VALUES (1, ?, ?, 1, 1)",
        (group_jid, group),
    )
    db.execute(
        "INSERT INTO ZWAGROUPINFO (Z_PK, ZCHATSESSION, ZCREATORJID, ZCREATIONDATE)"
        " VALUES (1, 1, ?, ?)",
        (f"{members[0]}@s.whatsapp.net", 1_700_000_000 - 978_307_200),
    )
    for i, number in enumerate(members, start=1):
        db.execute(
            "INSERT INTO ZWAGROUPMEMBER (Z_PK, ZCHATSESSION, ZMEMBERJID, ZCONTACTNAME,"
            " ZISADMIN, ZISACTIVE) VALUES (?, 1, ?, ?, ?, 1)",
            (i, f"{number}@s.whatsapp.net", f"Contact {number[-4:]}", int(i == 1)),
        )
    db.execute(
        "INSERT INTO ZWAMESSAGE (Z_PK, ZCHATSESSION, ZISFROMME, ZFROMJID, ZGROUPMEMBER,"
        " ZMESSAGEDATE, ZMESSAGETYPE, ZTEXT, ZMEDIAITEM) VALUES (1, 1, 0, ?, 1, ?, 1,"
        " 'hello', 1)",
        (group_jid, 1_700_000_100 - 978_307_200),
    )
    db.execute(
        "INSERT INTO ZWAMEDIAITEM (Z_PK, ZMESSAGE, ZFILESIZE, ZMEDIALOCALPATH,"
        " ZVCARDNAME, ZVCARDSTRING) VALUES (1, 1, 2048, 'Media/x/1/a.jpg', ?,"
        " 'image/jpeg')",
        (b64(media_sha256),),
    )
    db.commit()
    db.close()
    contacts = _create(folder / "ContactsV2.sqlite", CONTACTSV2_SCHEMA)
    for number in members:
        contacts.execute(
            "INSERT INTO ZWAADDRESSBOOKCONTACT (ZWHATSAPPID, ZFULLNAME, ZPHONENUMBER)"
            " VALUES (?, ?, ?)",
            (f"{number}@s.whatsapp.net", f"Contact {number[-4:]}", f"+{number}"),
        )
    contacts.commit()
    contacts.close()
    plist = (
        folder / "Library" / "Preferences" / "group.net.whatsapp.WhatsApp.shared.plist"
    )
    plist.parent.mkdir(parents=True, exist_ok=True)
    plist.write_bytes(
        plistlib.dumps(
            {"OwnJabberID": f"{owner}@s.whatsapp.net", "FullUserName": owner_name},
            fmt=plistlib.FMT_BINARY,
        )
    )
    return path


def telegram_android(root: Path) -> Path:
    """A channel with a creator, an admin and a member; one address-book contact."""
    path = root / "data/data/org.telegram.messenger/files/cache4.db"
    db = _create(path, CACHE4_SCHEMA)
    db.execute("INSERT INTO users VALUES (101, 'ravi k;;;ravi_k', 0, NULL)")
    db.execute("INSERT INTO users VALUES (102, 'anil;;;', 0, NULL)")
    db.execute("INSERT INTO users VALUES (103, 'joseph t;;;jt99', 0, NULL)")
    db.execute("INSERT INTO chats VALUES (5001, 'share zone', NULL)")
    db.execute("INSERT INTO dialogs (did, date) VALUES (-5001, 1700000000)")
    creator = (0x2FE601D3).to_bytes(4, "little") + b"\x00" * 8
    member = (0xC00C07C0).to_bytes(4, "little") + b"\x00" * 8
    db.execute(
        "INSERT INTO channel_users_v2 VALUES (-5001, 101, 1700000000, ?)", (creator,)
    )
    db.execute(
        "INSERT INTO channel_users_v2 VALUES (-5001, 102, 1700000001, ?)", (member,)
    )
    db.execute(
        "INSERT INTO channel_users_v2 VALUES (-5001, 103, 1700000002, ?)", (member,)
    )
    db.execute("INSERT INTO channel_admins_v3 VALUES (5001, 102, NULL)")
    db.execute("INSERT INTO user_contacts_v7 VALUES ('k1', 101, 'Ravi', 'K', 1)")
    db.execute(
        "INSERT INTO user_phones_v7 VALUES ('k1', '+91 98470 11111', '9847011111', 0)"
    )
    db.execute(
        "INSERT INTO user_phones_v7 VALUES ('k1', '+91 98470 22222', '9847022222', 1)"
    )
    db.commit()
    db.close()
    return path
