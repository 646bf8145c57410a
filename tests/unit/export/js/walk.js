// Walks a PST with pst-extractor (reads hierarchy and contents tables, as Outlook does) and
// prints one JSON document: folders with their message subjects and attachment sha256s.
'use strict';
const crypto = require('crypto');
const { PSTFile } = require('pst-extractor');

function attachmentInfo(att) {
  const info = { filename: att.longFilename || att.filename, size: att.filesize, method: att.attachMethod };
  const stream = att.fileInputStream;
  if (stream) {
    const chunks = [];
    const buf = Buffer.alloc(8176);
    let n;
    while ((n = stream.read(buf)) > 0) chunks.push(Buffer.from(buf.subarray(0, n)));
    info.sha256 = crypto.createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
  }
  const embedded = att.embeddedPSTMessage;
  if (embedded) info.embedded_subject = embedded.subject;
  return info;
}

function walk(folder, path) {
  const out = { path, name: folder.displayName, content_count: folder.contentCount, messages: [], folders: [] };
  if (folder.contentCount > 0) {
    let msg = folder.getNextChild();
    while (msg) {
      const m = { subject: msg.subject, recipients: msg.numberOfRecipients, attachments: [] };
      for (let i = 0; i < msg.numberOfAttachments; i++) m.attachments.push(attachmentInfo(msg.getAttachment(i)));
      out.messages.push(m);
      msg = folder.getNextChild();
    }
  }
  if (folder.hasSubfolders) {
    for (const child of folder.getSubFolders()) out.folders.push(walk(child, path + '/' + child.displayName));
  }
  return out;
}

const pst = new PSTFile(process.argv[2]);
const root = pst.getRootFolder();
console.log(JSON.stringify({ store: pst.getMessageStore().displayName, root: walk(root, '') }));
