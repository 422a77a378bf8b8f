<?xml version="1.0" encoding="UTF-8"?>
<!-- IVR flows (流程管理 > IVR流程, fcgi-app/ivr/): the list of flows with
     their state, published version, the numbers using each and who edits
     it; a form for a new flow and one to import a flow file; per flow a
     link to its editor, the exports, copy and delete (resource.js asks
     before a delete). Everything comes from /page/ivr (ivr/list.c); the
     page works without its script. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:value-of select="i:t('ivr.title')"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/resource.js" defer="defer"></script>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <div class="console" id="ivr" data-view="{ivr/@view}">
      <xsl:call-template name="side-nav"/>
      <div class="console-main">
        <xsl:apply-templates select="ivr" mode="list"/>
      </div>
    </div>
  </xsl:template>

  <xsl:template match="ivr" mode="list">
    <div class="page-head">
      <h1 id="ivr-heading"><xsl:value-of select="i:t('ivr.title')"/></h1>
    </div>
    <xsl:for-each select="notice">
      <div id="ivr-notice" class="banner banner-ok" role="status" data-done="{@done}">
        <xsl:value-of select="i:t(concat('ivr.done.', @done))"/>
      </div>
    </xsl:for-each>
    <xsl:for-each select="banner">
      <div class="alert alert-error" id="ivr-error" role="alert" data-reason="{@key}">
        <xsl:if test="string(@key)"><xsl:value-of select="i:t(@key)"/><xsl:text> </xsl:text></xsl:if>
        <xsl:value-of select="."/>
      </div>
    </xsl:for-each>
    <section class="panel">
      <table class="table" id="ivr-list">
        <thead><tr>
          <th data-col="name"><xsl:value-of select="i:t('ivr.col.name')"/></th>
          <th data-col="state"><xsl:value-of select="i:t('ivr.col.state')"/></th>
          <th data-col="version"><xsl:value-of select="i:t('ivr.col.version')"/></th>
          <th data-col="numbers"><xsl:value-of select="i:t('ivr.col.numbers')"/></th>
          <th data-col="editor"><xsl:value-of select="i:t('ivr.col.editor')"/></th>
          <th data-col="saved"><xsl:value-of select="i:t('ivr.col.saved')"/></th>
          <th class="actions"><xsl:value-of select="i:t('ivr.actions')"/></th>
        </tr></thead>
        <tbody>
          <xsl:for-each select="flows/flow">
            <tr data-id="{@id}" data-state="{@state}">
              <td data-col="name" data-value="{@name}">
                <a href="{@href}" class="ivr-name"><xsl:value-of select="@name"/></a>
                <xsl:if test="string(@description)">
                  <div class="muted ivr-desc"><xsl:value-of select="@description"/></div>
                </xsl:if>
              </td>
              <td data-col="state" data-value="{@state}">
                <span class="badge ivr-state-{@state}"><xsl:value-of select="i:t(@state-key)"/></span>
              </td>
              <td data-col="version" data-value="{@published_version}">
                <xsl:choose>
                  <xsl:when test="string(@published_version)">
                    <xsl:value-of select="concat(i:t('ivr.version_prefix'), @published_version)"/>
                  </xsl:when>
                  <xsl:otherwise>—</xsl:otherwise>
                </xsl:choose>
              </td>
              <td data-col="numbers" data-value="{@numbers}">
                <xsl:choose>
                  <xsl:when test="number">
                    <xsl:for-each select="number">
                      <xsl:if test="position() &gt; 1"><xsl:text>、</xsl:text></xsl:if>
                      <a href="{@href}" class="ivr-number" data-id="{@id}" title="{@name}"><xsl:value-of select="."/></a>
                    </xsl:for-each>
                  </xsl:when>
                  <xsl:otherwise><span class="muted"><xsl:value-of select="i:t('ivr.unused')"/></span></xsl:otherwise>
                </xsl:choose>
              </td>
              <td data-col="editor" data-value="{@lock_user}">
                <xsl:choose>
                  <xsl:when test="string(@lock_user)">
                    <xsl:value-of select="@lock_name"/>
                    <div class="muted"><xsl:value-of select="concat(i:t('ivr.lock_until'), ' ', substring(@lock_until, 12, 5))"/></div>
                  </xsl:when>
                  <xsl:otherwise><span class="muted"><xsl:value-of select="i:t('ivr.nobody')"/></span></xsl:otherwise>
                </xsl:choose>
              </td>
              <td data-col="saved" data-value="{@draft_saved_at}">
                <xsl:value-of select="substring(@draft_saved_at, 1, 16)"/>
                <xsl:if test="string(@saved_by_name)"><div class="muted"><xsl:value-of select="@saved_by_name"/></div></xsl:if>
              </td>
              <td class="actions">
                <a class="btn btn-quiet btn-sm ivr-edit" href="{@href}"><xsl:value-of select="i:t('ivr.edit')"/></a>
                <a class="btn btn-quiet btn-sm ivr-export" href="{@export}" download=""><xsl:value-of select="i:t('ivr.export')"/></a>
                <xsl:if test="@export-version">
                  <a class="btn btn-quiet btn-sm ivr-export-version" href="{@export-version}" download=""><xsl:value-of select="i:t('ivr.export_version')"/></a>
                </xsl:if>
                <form method="post" action="{@copy}" class="ivr-copy">
                  <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
                  <button type="submit" class="btn btn-quiet btn-sm"><xsl:value-of select="i:t('ivr.copy')"/></button>
                </form>
                <form method="post" action="{@delete}" class="res-delete ivr-delete" data-confirm="{i:t('ivr.confirm_delete')}">
                  <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
                  <button type="submit" class="btn btn-warn btn-sm"><xsl:value-of select="i:t('ivr.delete')"/></button>
                </form>
              </td>
            </tr>
          </xsl:for-each>
          <xsl:if test="not(flows/flow)">
            <tr class="empty"><td colspan="7"><xsl:value-of select="i:t('ivr.empty')"/></td></tr>
          </xsl:if>
        </tbody>
      </table>
      <div class="pager" id="ivr-pages" data-total="{flows/@total}">
        <span class="pager-info" id="ivr-total">
          <xsl:call-template name="fill">
            <xsl:with-param name="text" select="i:t('ivr.total')"/>
            <xsl:with-param name="value" select="flows/@total"/>
          </xsl:call-template>
        </span>
      </div>
    </section>

    <section class="panel">
      <h2><xsl:value-of select="i:t('ivr.new')"/></h2>
      <form method="post" action="{@base}/new" id="ivr-new-form">
        <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
        <div class="form-grid">
          <div class="field" data-col="name">
            <label for="ivr-new-name"><xsl:value-of select="i:t('ivr.f.name')"/><span class="req" aria-hidden="true">*</span></label>
            <input type="text" id="ivr-new-name" name="name" maxlength="{@name-max}" required="required"/>
          </div>
          <div class="field" data-col="description">
            <label for="ivr-new-description"><xsl:value-of select="i:t('ivr.f.description')"/></label>
            <input type="text" id="ivr-new-description" name="description" maxlength="{@desc-max}"/>
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="ivr-create"><xsl:value-of select="i:t('ivr.create')"/></button>
        </div>
      </form>
    </section>

    <section class="panel">
      <h2><xsl:value-of select="i:t('ivr.import')"/></h2>
      <form method="post" action="{@base}/import" id="ivr-import-form" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
        <div class="form-grid">
          <div class="field" data-col="file">
            <label for="ivr-import-file"><xsl:value-of select="i:t('ivr.f.file')"/><span class="req" aria-hidden="true">*</span></label>
            <input type="file" id="ivr-import-file" name="file" accept=".xml,application/xml,text/xml" required="required"/>
            <div class="field-hint"><xsl:value-of select="i:t('ivr.import_hint')"/></div>
          </div>
          <div class="field" data-col="name">
            <label for="ivr-import-name"><xsl:value-of select="i:t('ivr.f.name')"/></label>
            <input type="text" id="ivr-import-name" name="name" maxlength="{@name-max}"/>
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" id="ivr-do-import"><xsl:value-of select="i:t('ivr.do_import')"/></button>
        </div>
      </form>
    </section>
  </xsl:template>
</xsl:stylesheet>
