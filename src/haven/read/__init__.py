"""Reading reports: documents in, candidate records (figures, events, agreements, zones) out.

Every candidate keeps, for each field, the character span it was read from and a confidence; nothing is
verified until a person reviews it.
"""

from haven.read.candidates import Candidate, Evidence
from haven.read.documents import ReadDocument, Span, document_from_text, load_document, load_documents
from haven.read.figures import extract_figures

__all__ = [
    "Candidate",
    "Evidence",
    "ReadDocument",
    "Span",
    "document_from_text",
    "extract_figures",
    "load_document",
    "load_documents",
]
