/** The JSON of the decision contract: one configured mapper every channel writes determinations and problems with. */
package org.medpolicy.core.json;
