"""What libpff (pypff) reads from a PST/OST: the independent oracle for the mount tests.

Only libpff's own reading is used here, never ostfs code, so a bug in ostfs cannot hide
itself in the expectations.
"""
import hashlib
import struct

import pypff

PR_IPM_SUBTREE_ENTRYID = 0x35E0
PR_ATTACH_METHOD = 0x3705
PR_MESSAGE_CLASS = 0x001A
ATTACH_EMBEDDED_MSG = 5


def open_file(path):
    f = pypff.file()
    f.open(str(path))
    return f


def ipm_subtree_nid(f):
    """The NID the message store names as the IPM subtree, or None."""
    try:
        store = f.get_message_store()
    except OSError:
        return None
    if store is None or store.number_of_record_sets == 0:
        return None
    for entry in store.get_record_set(0).entries:
        if entry.entry_type == PR_IPM_SUBTREE_ENTRYID and entry.data and len(entry.data) >= 24:
            return struct.unpack_from("<I", entry.data, 20)[0]
    return None


def find_folder(folder, nid, depth=0):
    if folder.identifier == nid:
        return folder
    if depth > 64:
        return None
    for sub in folder.sub_folders:
        found = find_folder(sub, nid, depth + 1)
        if found is not None:
            return found
    return None


def message_class(message):
    if message.number_of_record_sets:
        for entry in message.get_record_set(0).entries:
            if entry.entry_type == PR_MESSAGE_CLASS and entry.data:
                data = entry.data
                text = data.decode("utf-16-le") if entry.value_type == 0x001F else data.decode("latin-1")
                return text.rstrip("\0")
    return "IPM.Note"


def attachment_hashes(message):
    """sha256 of each by-value attachment's bytes, as libpff reads them."""
    hashes = []
    for i in range(message.number_of_attachments):
        att = message.get_attachment(i)
        method = None
        if att.number_of_record_sets:
            for entry in att.get_record_set(0).entries:
                if entry.entry_type == PR_ATTACH_METHOD and entry.data:
                    method = struct.unpack_from("<i", entry.data)[0]
        if method == ATTACH_EMBEDDED_MSG:
            continue
        size = att.get_size()
        if not size:
            continue
        data = att.read_buffer(size)
        hashes.append(hashlib.sha256(data).hexdigest())
    return hashes


def describe(folder, with_attachments=True):
    """A folder as nested dicts: name, message count, per-message attachment hashes, subfolders."""
    messages = []
    for i in range(folder.number_of_sub_messages):
        m = folder.get_sub_message(i)
        messages.append({
            "subject": m.subject or "",
            "class": message_class(m),
            "attachments": attachment_hashes(m) if with_attachments else [],
        })
    return {
        "nid": folder.identifier,
        "name": folder.name or "",
        "messages": messages,
        "folders": [describe(s, with_attachments) for s in folder.sub_folders],
    }
